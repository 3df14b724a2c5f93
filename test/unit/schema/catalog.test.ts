import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../../server/src/parser/parse';
import { TextIndex } from '../../../server/src/text/positions';
import { Catalog } from '../../../server/src/schema/catalog';
import { applyStatement } from '../../../server/src/schema/apply';
import { typeDisplay } from '../../../server/src/parser/ast';

beforeAll(() => initParser());

function replay(sql: string, catalog = new Catalog(), id = 'm1'): Catalog {
  for (const s of parseSql(new TextIndex(sql)).statements) applyStatement(catalog, s, id);
  return catalog;
}

describe('schema model', () => {
  it('records tables, column types, nullability and defaults from CREATE TABLE', () => {
    const c = replay(`CREATE TABLE app.users (
      id bigserial PRIMARY KEY,
      email varchar(255) NOT NULL,
      score numeric(10,2)[] DEFAULT '{}',
      created_at timestamptz DEFAULT now()
    );`);
    const t = c.table('app.users')!;
    expect([...t.columns.keys()]).toEqual(['id', 'email', 'score', 'created_at']);
    expect(typeDisplay(c.column('app.users', 'email')!.type)).toBe('varchar(255)');
    expect(typeDisplay(c.column('app.users', 'score')!.type)).toBe('numeric(10,2)[]');
    expect(c.column('app.users', 'id')).toMatchObject({ notNull: true, hasDefault: true });
    expect(c.column('app.users', 'created_at')).toMatchObject({ notNull: false, hasDefault: true });
    expect(t.createdIn).toBe('m1');
  });

  it('follows ALTER TABLE: add/drop column, type change, NOT NULL, defaults, renames', () => {
    const c = replay(`CREATE TABLE t (a int, b text);
      ALTER TABLE t ADD COLUMN c int, ALTER COLUMN a TYPE bigint, ALTER COLUMN b SET NOT NULL;
      ALTER TABLE t DROP COLUMN c;
      ALTER TABLE t RENAME COLUMN b TO bb;
      ALTER TABLE t RENAME TO t2;
      ALTER TABLE t2 ALTER COLUMN bb DROP NOT NULL, ALTER COLUMN a SET DEFAULT 1;`);
    expect(c.table('public.t')).toBeUndefined();
    const t = c.table('public.t2')!;
    expect([...t.columns.keys()]).toEqual(['a', 'bb']);
    expect(typeDisplay(c.column('public.t2', 'a')!.type)).toBe('bigint');
    expect(c.column('public.t2', 'a')!.hasDefault).toBe(true);
    expect(c.column('public.t2', 'bb')!.notNull).toBe(false);
  });

  it('tracks constraint validation, including CHECK (col IS NOT NULL) proofs', () => {
    const c = replay(`CREATE TABLE t (a int);
      ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;`);
    expect(c.constraint('public.t', 'a_nn')).toMatchObject({
      type: 'check',
      validated: false,
      notNullColumn: 'a',
    });
    expect(c.validatedNotNullCheck('public.t', 'a')).toBeUndefined();
    replay('ALTER TABLE t VALIDATE CONSTRAINT a_nn;', c, 'm2');
    expect(c.validatedNotNullCheck('public.t', 'a')?.name).toBe('a_nn');
    replay('ALTER TABLE t DROP CONSTRAINT a_nn;', c, 'm3');
    expect(c.validatedNotNullCheck('public.t', 'a')).toBeUndefined();
  });

  it('records indexes and enum values, and forgets dropped objects', () => {
    const c = replay(`CREATE TABLE t (a int, b int);
      CREATE UNIQUE INDEX CONCURRENTLY t_ab ON t (a, b);
      CREATE TYPE mood AS ENUM ('sad', 'ok');
      ALTER TYPE mood ADD VALUE 'happy';`);
    expect(c.indexesCovering('public.t', ['a']).map((i) => i.name)).toEqual(['t_ab']);
    expect(c.types.get('public.mood')!.values).toEqual(['sad', 'ok', 'happy']);
    replay('DROP INDEX t_ab; DROP TABLE t; DROP TYPE mood;', c, 'm2');
    expect(c.indexes.size).toBe(0);
    expect(c.table('public.t')).toBeUndefined();
    expect(c.types.size).toBe(0);
  });

  it('is uncertain rather than wrong: dynamic SQL makes column facts unknown', () => {
    const c = replay(`CREATE TABLE t (a int);
      DO $$ BEGIN EXECUTE 'ALTER TABLE t ALTER COLUMN a TYPE text'; END $$;`);
    expect(c.table('public.t')).toBeDefined();
    expect(c.column('public.t', 'a')).toBeUndefined();
    expect(c.opaque).toBe(true);
  });

  it('marks a table uncertain when a DO block alters it without dynamic SQL', () => {
    const c = replay(`CREATE TABLE t (a int); CREATE TABLE u (b int);
      DO $$ BEGIN IF true THEN ALTER TABLE t ADD COLUMN z int; END IF; END $$;`);
    expect(c.column('public.t', 'a')).toBeUndefined();
    expect(c.column('public.u', 'b')).toBeDefined();
  });

  it('keeps IF NOT EXISTS from replacing what exists, and clones independently', () => {
    const c = replay('CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (z text);');
    expect([...c.table('public.t')!.columns.keys()]).toEqual(['a']);
    const copy = c.clone();
    replay('ALTER TABLE t ADD COLUMN b int;', copy, 'm2');
    expect(c.table('public.t')!.columns.has('b')).toBe(false);
    expect(copy.table('public.t')!.columns.has('b')).toBe(true);
  });
});
