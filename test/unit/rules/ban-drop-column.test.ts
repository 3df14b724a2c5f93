import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'ban-drop-column';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags dropping an existing column', () => {
    const sql = 'ALTER TABLE users ADD COLUMN a int, DROP COLUMN email;';
    const [v] = hits(sql);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Dropping users.email breaks every running client that still selects or writes it, and its data is gone.',
    );
    expect(sql.slice(v.start, v.end)).toBe('DROP COLUMN email');
  });

  it('exempts columns and tables created earlier in the migration', () => {
    expect(
      hits('ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users DROP COLUMN a;'),
    ).toHaveLength(0);
    expect(hits('CREATE TABLE users (a int);\nALTER TABLE users DROP COLUMN a;')).toHaveLength(0);
  });

  it('DOWN dropping the column its UP added is clean', () => {
    const root = writeFolder({
      '001_users.sql': '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n',
      '002_age.sql':
        '-- UP\nALTER TABLE users ADD COLUMN age int;\n-- DOWN\nALTER TABLE users DROP COLUMN age;\nALTER TABLE users DROP COLUMN id;\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs.map((v) => v.message.slice(0, 19))).toEqual(['Dropping users.id b']);
  });
});
