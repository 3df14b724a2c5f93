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

  it('exempts a rename followed by a view that keeps the old column name', () => {
    // the table moves aside and a view with its old name serves old code
    expect(
      hits(
        'ALTER TABLE users RENAME TO users_v2;\nALTER TABLE users_v2 RENAME COLUMN email TO email_address;\nCREATE VIEW users AS SELECT id, email_address AS email FROM users_v2;',
      ),
    ).toHaveLength(0);
    expect(
      hits(
        `${RENAME}\nCREATE VIEW compat.users AS SELECT id, email_address AS email FROM public.users;`,
      ),
    ).toHaveLength(0);
    expect(
      hits(
        `${RENAME}\nCREATE VIEW compat.users (id, email) AS SELECT id, email_address FROM users;`,
      ),
    ).toHaveLength(0);
    // a view that does not expose the old name, reads another table, or comes first does not help
    expect(hits(`${RENAME}\nCREATE VIEW v AS SELECT email_address FROM users;`)).toHaveLength(1);
    expect(
      hits(`${RENAME}\nCREATE VIEW v AS SELECT email_address AS email FROM people;`),
    ).toHaveLength(1);
    expect(hits(`CREATE VIEW v AS SELECT email AS email FROM users;\n${RENAME}`)).toHaveLength(1);
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
