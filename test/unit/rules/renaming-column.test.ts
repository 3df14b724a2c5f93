import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'renaming-column';
const hits = (sql: string) => only(lintText(sql), RULE);
const RENAME = 'ALTER TABLE users RENAME COLUMN email TO email_address;';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags renaming an existing column', () => {
    const [v] = hits(RENAME);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Renaming users.email to email_address breaks every running client that still uses the old name.',
    );
    expect(v.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
    expect(applyToText(RENAME, v.fixes[0].edits)).toBe(`-- pgmig-ignore ${RULE}\n${RENAME}`);
  });

  it('exempts new tables and new columns, and other renames', () => {
    expect(hits(`CREATE TABLE users (email text);\n${RENAME}`)).toHaveLength(0);
    expect(hits(`ALTER TABLE users ADD COLUMN email text;\n${RENAME}`)).toHaveLength(0);
    expect(hits('ALTER TABLE users RENAME TO people;')).toHaveLength(0);
    expect(hits('ALTER TABLE users RENAME CONSTRAINT a TO b;')).toHaveLength(0);
  });

  it('a DOWN renaming back what its UP renamed is still a rename of a live column', () => {
    const root = writeFolder({
      '001_users.sql': '-- UP\nCREATE TABLE users (email text);\n-- DOWN\nDROP TABLE users;\n',
      '002_rename.sql': `-- UP\n${RENAME}\n-- DOWN\nALTER TABLE users RENAME COLUMN email_address TO email;\n`,
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(2);
  });

  it('is silenced by the squawk ignore comment too', () => {
    expect(hits(`-- squawk-ignore ${RULE}\n${RENAME}`)).toHaveLength(0);
  });
});
