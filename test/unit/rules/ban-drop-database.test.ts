import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintText, only } from '../helpers/lint';

const RULE = 'ban-drop-database';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags DROP DATABASE', () => {
    const vs = hits('DROP DATABASE IF EXISTS legacy;');
    expect(vs).toHaveLength(1);
    expect(vs[0].severity).toBe('warning');
    expect(vs[0].message).toContain('DROP DATABASE legacy permanently deletes');
  });

  it('ignores other drops', () => {
    expect(hits('DROP TABLE legacy;\nDROP SCHEMA legacy;')).toHaveLength(0);
  });

  it('only offers disabling it; that round trip is clean', () => {
    const sql = 'DROP DATABASE legacy;\n';
    const [v] = hits(sql);
    expect(v.fixes).toHaveLength(1);
    const fixed = applyToText(sql, v.fixes[0].edits);
    expect(fixed).toBe('-- pgmig-ignore ban-drop-database\nDROP DATABASE legacy;\n');
    expect(hits(fixed)).toHaveLength(0);
  });
});
