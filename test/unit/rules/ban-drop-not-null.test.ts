import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintText, only } from '../helpers/lint';

const RULE = 'ban-drop-not-null';
const hits = (sql: string) => only(lintText(sql), RULE);
const DROP = 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags DROP NOT NULL on an existing column', () => {
    const [v] = hits(DROP);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Dropping NOT NULL from users.email lets NULLs in, which breaks readers that assume the column always has a value.',
    );
    expect(applyToText(DROP, v.fixes[0].edits)).toBe(`-- pgmig-ignore ${RULE}\n${DROP}`);
    expect(only(lintText(applyToText(DROP, v.fixes[0].edits)), RULE)).toHaveLength(0);
  });

  it('exempts new tables and columns, and SET NOT NULL', () => {
    expect(hits(`CREATE TABLE users (email text NOT NULL);\n${DROP}`)).toHaveLength(0);
    expect(
      hits(`ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';\n${DROP}`),
    ).toHaveLength(0);
    expect(hits('ALTER TABLE users ALTER COLUMN email SET NOT NULL;')).toHaveLength(0);
  });
});
