import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintText, only } from '../helpers/lint';

const RULE = 'renaming-table';
const hits = (sql: string) => only(lintText(sql), RULE);
const RENAME = 'ALTER TABLE users RENAME TO people;';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags renaming an existing table', () => {
    const [v] = hits(RENAME);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Renaming users to people breaks every running client that still uses the old name.',
    );
  });

  it('exempts new tables and a view keeping the old name later in the migration', () => {
    expect(hits(`CREATE TABLE users (id int);\n${RENAME}`)).toHaveLength(0);
    expect(hits(`${RENAME}\nCREATE VIEW users AS SELECT * FROM people;`)).toHaveLength(0);
    expect(hits(`${RENAME}\nCREATE VIEW public.users AS SELECT * FROM people;`)).toHaveLength(0);
    // a view of another name, or one created before the rename, does not keep old code working
    expect(hits(`${RENAME}\nCREATE VIEW users_v AS SELECT * FROM people;`)).toHaveLength(1);
    expect(hits(`CREATE VIEW users AS SELECT 1;\n${RENAME}`)).toHaveLength(1);
    expect(
      hits(`ALTER TABLE app.users RENAME TO people;\nCREATE VIEW users AS SELECT 1;`),
    ).toHaveLength(1);
  });

  it('sees the view in a later UP section of the same migration (dbmate)', () => {
    const sql = `-- migrate:up\n${RENAME}\n-- migrate:down\nALTER TABLE people RENAME TO users;\n-- migrate:up\nCREATE VIEW users AS SELECT * FROM people;\n`;
    // (the DOWN's rename back is a rename of its own, with no view after it)
    const vs = only(lintText(sql, { format: 'dbmate' }), RULE);
    expect(vs.map((v) => sql.slice(v.start, v.end))).toEqual([
      'ALTER TABLE people RENAME TO users',
    ]);
  });

  it('offers the view as a fix (not preferred); with it the migration lints clean', () => {
    const [v] = hits(RENAME);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    const fixed = applyToText(RENAME, v.fixes[0].edits);
    expect(fixed).toBe(`${RENAME}\nCREATE VIEW users AS SELECT * FROM people;`);
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(only(after, 'syntax-error')).toHaveLength(0);
  });
});
