import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'ban-drop-schema';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags DROP SCHEMA, worded by CASCADE', () => {
    const [v] = hits('DROP SCHEMA reporting;');
    expect(v.severity).toBe('warning');
    expect(v.message).toContain('Dropping schema reporting breaks every client');
    expect(hits('DROP SCHEMA IF EXISTS reporting CASCADE;')[0].message).toContain(
      'DROP SCHEMA reporting CASCADE drops every table, view, function and type in it',
    );
  });

  it('counts the tables the migrations put in the schema', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE SCHEMA app;\nCREATE TABLE app.a (id int);\nCREATE TABLE app.b (id int);\n-- DOWN\nDROP SCHEMA app CASCADE;\n',
      '002_b.sql': '-- UP\nDROP SCHEMA app CASCADE;\n-- DOWN\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    // the DOWN of 001 drops what its UP created
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toContain('(2 tables the migrations created)');
  });

  it('exempts a schema created earlier in the same migration', () => {
    expect(hits('CREATE SCHEMA tmp;\nDROP SCHEMA tmp;')).toHaveLength(0);
    expect(hits('CREATE SCHEMA tmp;\nDROP SCHEMA tmp, other;')[0].message).toContain(
      'schema other',
    );
  });
});
