import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'irreversible-up';
const hits = (up: string, down = 'SELECT 1;') =>
  only(lintText(`-- UP\n${up}\n-- DOWN\n${down}\n`), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags UP statements that destroy data when the migration has a DOWN', () => {
    const [v] = hits('DROP TABLE users;', 'CREATE TABLE users (id bigint);');
    expect(v.severity).toBe('info');
    expect(v.message).toBe(
      'Dropping users deletes its rows, and this migration has a DOWN: rolling back brings the structure back at best, not the data.',
    );
    expect(hits('ALTER TABLE users DROP COLUMN legacy;')[0].message).toContain(
      'Dropping users.legacy deletes its values',
    );
    expect(hits('TRUNCATE users;')).toHaveLength(1);
    expect(hits("DELETE FROM users WHERE kind = 'bot';")).toHaveLength(1);
    expect(hits('UPDATE users SET email = lower(email);')[0].message).toContain(
      'UPDATE overwrites users.email',
    );
    expect(hits('DROP SCHEMA app CASCADE;')).toHaveLength(0); // no known tables in it
  });

  it('flags lossy type changes, using the previous type from the schema model', () => {
    const root = writeFolder({
      '001_t.sql':
        '-- UP\nCREATE TABLE t (price numeric(10,4), at timestamptz, n int, s text);\n-- DOWN\nDROP TABLE t;\n',
      '002_alter.sql':
        '-- UP\nALTER TABLE t ALTER COLUMN price TYPE numeric(10,2), ALTER COLUMN at TYPE date, ALTER COLUMN n TYPE bigint, ALTER COLUMN s TYPE varchar(20);\n-- DOWN\nALTER TABLE t ALTER COLUMN price TYPE numeric(10,4), ALTER COLUMN at TYPE timestamptz, ALTER COLUMN n TYPE int, ALTER COLUMN s TYPE text;\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs.map((v) => v.message.split(' can ')[0])).toEqual([
      'Changing t.price from numeric(10,4) to numeric(10,2)',
      'Changing t.at from timestamptz to date',
    ]);
  });

  it('is silent without a DOWN, with an empty DOWN, and for objects new in the migration', () => {
    expect(only(lintText('-- UP\nDROP TABLE users;\n'), RULE)).toHaveLength(0);
    expect(only(lintText('-- UP\nDROP TABLE users;\n-- DOWN\n'), RULE)).toHaveLength(0);
    expect(hits('CREATE TABLE tmp (id int);\nDROP TABLE tmp;')).toHaveLength(0);
    expect(hits('ALTER TABLE users ADD COLUMN c int;\nUPDATE users SET c = 1;')).toHaveLength(0);
    // the DOWN itself is not judged
    expect(hits('CREATE TABLE t (id int);', 'DROP TABLE t;')).toHaveLength(0);
  });
});
