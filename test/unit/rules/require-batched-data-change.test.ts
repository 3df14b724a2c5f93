import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';
import { firstRealFix, roundTripFolderWith } from './_folderRoundTrip';
import type { Violation } from '../../../server/src/linter/types';

const RULE = 'require-batched-data-change';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);

let db: PGlite;
beforeAll(async () => {
  await initParser();
  db = new PGlite();
});
afterAll(() => db?.close());

const USERS = {
  '001_users.sql':
    '-- UP\nCREATE TABLE users (id bigserial PRIMARY KEY, name text, email text, flag int);\n-- DOWN\nDROP TABLE users;\n',
};

/** The DO block a violation's fix writes (in place, or in the created migration). */
function template(v: Violation, sql: string): string {
  const fix = firstRealFix(v)!;
  const created = fix.edits.find((e) => e.createFile && e.newText.includes('DO $$'));
  const text = created ? created.newText : applyToText(sql, fix.edits);
  return text.slice(text.indexOf('-- '), text.indexOf('END $$;') + 'END $$;'.length);
}

/** The same block with small batches, so that a test table of a few thousand rows takes several. */
function small(block: string): string {
  return block.replace(
    'batch_size constant bigint := 10000;',
    'batch_size constant bigint := 1000;',
  );
}

describe(RULE, () => {
  it('flags UPDATE and DELETE without WHERE on existing tables', () => {
    const [u] = hits('UPDATE users SET flag = 1;');
    expect(u.severity).toBe('warning');
    expect(u.message).toBe(
      'This UPDATE updates every row of users (it has no WHERE clause) as one statement: every changed row stays locked against other writers until it commits; the dead rows bloat users and the WAL burst makes replicas lag.',
    );
    expect(hits('DELETE FROM sessions;')[0].message).toContain('deletes every row of sessions');
  });

  it('names the DDL lock the migration transaction keeps through the change', () => {
    const [v] = hits(
      '-- UP\nALTER TABLE users ADD COLUMN flag int;\nUPDATE users SET flag = 0;\n-- DOWN\n',
    );
    expect(v.message).toContain(
      "inside the migration's transaction, which holds ACCESS EXCLUSIVE on users: users stays unreadable until every row is written",
    );
  });

  it('a WHERE that only asks for NULL in a column this migration adds is the whole table too', () => {
    const [v] = hits(
      '-- UP\nALTER TABLE users ADD COLUMN flag int;\nUPDATE users SET flag = 0 WHERE flag IS NULL;\n-- DOWN\n',
    );
    expect(v.message).toContain(
      'its WHERE only looks for NULL in flag, which this migration adds: every existing row matches',
    );
    // an existing column may hold few NULLs: not judged
    expect(hits('UPDATE users SET flag = 0 WHERE flag IS NULL;')).toHaveLength(0);
  });

  it('accepts other WHERE clauses, WHERE CURRENT OF, and tables created in the same migration', () => {
    expect(hits('UPDATE users SET flag = 1 WHERE id = 42;')).toHaveLength(0);
    expect(
      hits("DELETE FROM sessions WHERE expires_at < now() - interval '30 days';"),
    ).toHaveLength(0);
    expect(
      hits('CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;'),
    ).toHaveLength(0);
  });

  it('autocommit section: the statement becomes a DO block by primary key, in place', () => {
    const root = writeFolder({
      ...USERS,
      '002_backfill.sql': '-- UP no-transaction\nUPDATE users SET name = lower(email);\n-- DOWN\n',
    });
    const path = join(root, '002_backfill.sql');
    const [v] = only(lintDir(root).violations, RULE);
    expect(firstRealFix(v)!.preferred).toBeFalsy();
    roundTripFolderWith(root, RULE, firstRealFix);
    expect(readFileSync(path, 'utf8')).toBe(
      [
        '-- UP no-transaction',
        '-- Update users in batches of 10000 rows by id, committing after each one.',
        '-- Review the batch size; this must run outside a transaction block.',
        'DO $$',
        'DECLARE',
        '  batch_size constant bigint := 10000;',
        '  batch_start bigint;',
        '  last_id bigint;',
        'BEGIN',
        '  SELECT min(id), max(id) INTO batch_start, last_id FROM users;',
        '  WHILE batch_start <= last_id LOOP',
        '    UPDATE users SET name = lower(email) WHERE users.id >= batch_start AND users.id < batch_start + batch_size;',
        '    batch_start := batch_start + batch_size;',
        '    COMMIT;',
        '    -- rows inserted meanwhile are included',
        '    SELECT max(id) INTO last_id FROM users;',
        '  END LOOP;',
        'END $$;',
        '-- DOWN',
        '',
      ].join('\n'),
    );
  });

  it('runner transaction: the DO block goes to a non-transactional migration, what followed to another', () => {
    const root = writeFolder({
      ...USERS,
      '002_flag.sql':
        '-- UP\nALTER TABLE users ADD COLUMN level int;\nUPDATE users SET level = 0 WHERE level IS NULL;\n-- then\nALTER TABLE users ALTER COLUMN level SET NOT NULL;\n-- DOWN\nALTER TABLE users DROP COLUMN level;\n',
    });
    roundTripFolderWith(root, RULE, firstRealFix);
    expect(readFileSync(join(root, '002_flag.sql'), 'utf8')).toBe(
      '-- UP\nALTER TABLE users ADD COLUMN level int;\n-- DOWN\nALTER TABLE users DROP COLUMN level;\n',
    );
    expect(readdirSync(root).sort()).toEqual([
      '001_users.sql',
      '002_flag.sql',
      '003_flag_backfill.sql',
      '004_flag_after_backfill.sql',
    ]);
    const backfill = readFileSync(join(root, '003_flag_backfill.sql'), 'utf8');
    expect(backfill.startsWith('-- UP no-transaction\n')).toBe(true);
    expect(backfill).toContain(
      'UPDATE users SET level = 0 WHERE users.id >= batch_start AND users.id < batch_start + batch_size AND (level IS NULL);',
    );
    expect(readFileSync(join(root, '004_flag_after_backfill.sql'), 'utf8')).toContain(
      '-- UP\n-- then\nALTER TABLE users ALTER COLUMN level SET NOT NULL;\n',
    );
  });

  it('Flyway: the DO block goes to a new V-file with executeInTransaction=false', () => {
    const root = writeFolder({
      'V1__users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, plan text);\n',
      'V2__plan.sql': "UPDATE users SET plan = 'free';\n",
    });
    expect(lintDir(root).folder.format).toBe('flyway');
    roundTripFolderWith(root, RULE, firstRealFix);
    expect(readFileSync(join(root, 'V2__plan.sql'), 'utf8')).toBe('');
    expect(readFileSync(join(root, 'V3__plan_backfill.sql.conf'), 'utf8')).toBe(
      'executeInTransaction=false\n',
    );
    expect(readFileSync(join(root, 'V3__plan_backfill.sql'), 'utf8')).toContain(
      "UPDATE users SET plan = 'free' WHERE users.id >= batch_start AND users.id < batch_start + batch_size;",
    );
  });

  it('without a known primary key: ctid batches until nothing is left (DELETE) or differs (UPDATE)', () => {
    const [del] = hits('-- UP no-transaction\nDELETE FROM app.audit AS a;\n-- DOWN\n');
    expect(template(del, '-- UP no-transaction\nDELETE FROM app.audit AS a;\n-- DOWN\n')).toContain(
      '    DELETE FROM app.audit AS a WHERE a.ctid = ANY (ARRAY(SELECT ctid FROM app.audit AS a LIMIT batch_size));',
    );
    const root = writeFolder({
      '001_t.sql': '-- UP\nCREATE TABLE t (a int, b text, c jsonb);\n-- DOWN\n',
      '002_b.sql': "-- UP no-transaction\nUPDATE t SET b = 'x' || a::text, c = '{}';\n-- DOWN\n",
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(template(v, readFileSync(join(root, '002_b.sql'), 'utf8'))).toContain(
      "    UPDATE t SET b = 'x' || a::text, c = '{}' WHERE ctid = ANY (ARRAY(SELECT ctid FROM t WHERE (t.b, t.c) IS DISTINCT FROM (('x' || a::text), ('{}')) LIMIT batch_size));",
    );
  });

  it('no template when batches could loop forever or cannot run outside a transaction', () => {
    const root = writeFolder({
      '001_t.sql': '-- UP\nCREATE TABLE t (a int, b timestamptz, j json);\n-- DOWN\n',
    });
    const noFix = (sql: string, over = {}) => {
      writeFileSync(join(root, '002_x.sql'), sql);
      const [v] = only(lintDir(root, over).violations, RULE);
      expect(v, sql).toBeDefined();
      return firstRealFix(v);
    };
    expect(noFix('-- UP no-transaction\nUPDATE t SET a = a + 1;\n-- DOWN\n')).toBeUndefined();
    expect(noFix('-- UP no-transaction\nUPDATE t SET b = now();\n-- DOWN\n')).toBeUndefined();
    expect(noFix('-- UP no-transaction\nUPDATE t SET a = (SELECT 1);\n-- DOWN\n')).toBeUndefined();
    expect(noFix("-- UP no-transaction\nUPDATE t SET j = '{}';\n-- DOWN\n")).toBeUndefined();
    expect(
      noFix('-- UP no-transaction\nDELETE FROM t;\n-- DOWN\n', { pgVersion: 10 }),
    ).toBeUndefined();
    const npm = writeFolder({
      '1700000000000_a.sql': '-- Up Migration\nCREATE TABLE t (a int);\n-- Down Migration\n',
      '1700000000001_b.sql': '-- Up Migration\nDELETE FROM t;\n-- Down Migration\n',
    });
    const [v] = only(lintDir(npm, { format: 'node-pg-migrate' }).violations, RULE);
    expect(firstRealFix(v)).toBeUndefined();
  });

  it('the templates run on PostgreSQL (PGlite) and change every row over several batches', async () => {
    await db.exec(
      'CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text, flag int);' +
        "INSERT INTO users (email) SELECT 'U' || g FROM generate_series(1, 2503) g;" +
        'CREATE TABLE t (a int, b text, c jsonb);' +
        'INSERT INTO t (a) SELECT g FROM generate_series(1, 2345) g;',
    );
    const byKey = writeFolder({
      ...USERS,
      '002_b.sql': '-- UP no-transaction\nUPDATE users SET name = lower(email);\n-- DOWN\n',
    });
    const [v1] = only(lintDir(byKey).violations, RULE);
    await db.exec(small(template(v1, readFileSync(join(byKey, '002_b.sql'), 'utf8'))));
    const named = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE name = lower(email)',
    );
    expect(named.rows[0].n).toBe(2503);
    const byCtid = writeFolder({
      '001_t.sql': '-- UP\nCREATE TABLE t (a int, b text, c jsonb);\n-- DOWN\n',
      '002_b.sql': "-- UP no-transaction\nUPDATE t SET b = 'x' || a::text, c = '{}';\n-- DOWN\n",
    });
    const [v2] = only(lintDir(byCtid).violations, RULE);
    await db.exec(small(template(v2, readFileSync(join(byCtid, '002_b.sql'), 'utf8'))));
    const done = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM t WHERE b = 'x' || a::text AND c = '{}'",
    );
    expect(done.rows[0].n).toBe(2345);
    const [v3] = hits('-- UP no-transaction\nDELETE FROM t;\n-- DOWN\n');
    await db.exec(small(template(v3, '-- UP no-transaction\nDELETE FROM t;\n-- DOWN\n')));
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(0);
  });
});
