import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../../server/src/parser/parse';
import { TextIndex } from '../../../server/src/text/positions';
import { Catalog } from '../../../server/src/schema/catalog';
import { applyStatement } from '../../../server/src/schema/apply';
import { pgObjectName } from '../../../server/src/parser/ast';
import { initParser as initLint, lintText, only } from '../helpers/lint';

beforeAll(async () => {
  await initParser();
  await initLint();
});

function replay(sql: string, catalog = new Catalog(), id = 'm1'): Catalog {
  for (const s of parseSql(new TextIndex(sql)).statements) applyStatement(catalog, s, id);
  return catalog;
}

describe('names of unnamed constraints in the schema model', () => {
  it('are the names PostgreSQL generates (checked on PostgreSQL 15)', () => {
    const c = replay(`CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE nm (a int, b int, c int);
      ALTER TABLE nm ADD PRIMARY KEY (a, b);
      ALTER TABLE nm ADD UNIQUE (b, c);
      ALTER TABLE nm ADD CHECK (a > 0);
      ALTER TABLE nm ADD CHECK (a > b);
      ALTER TABLE nm ADD CHECK (a > 1);
      ALTER TABLE nm ADD FOREIGN KEY (c) REFERENCES p;
      ALTER TABLE nm ADD EXCLUDE USING gist (a WITH =, b WITH =);
      ALTER TABLE nm ADD COLUMN d int CHECK (d > 0) REFERENCES p;`);
    expect([...c.table('public.nm')!.constraints.keys()]).toEqual([
      'nm_pkey',
      'nm_b_c_key',
      'nm_a_check',
      'nm_check',
      'nm_a_check1',
      'nm_c_fkey',
      'nm_a_b_excl',
      'nm_d_check',
      'nm_d_fkey',
    ]);
  });

  it('shortens long names the way makeObjectName does (as PostgreSQL 15 named it)', () => {
    const name = pgObjectName('t'.repeat(40), 'c'.repeat(40), 'fkey');
    expect(name).toBe(`${'t'.repeat(29)}_${'c'.repeat(28)}_fkey`);
    expect(name).toHaveLength(63);
  });

  it('so VALIDATE CONSTRAINT by the generated name validates the unnamed constraint', () => {
    const c = replay(`CREATE TABLE t (x int);
      ALTER TABLE t ADD CHECK (x IS NOT NULL) NOT VALID;
      ALTER TABLE t VALIDATE CONSTRAINT t_x_check;`);
    expect(c.validatedNotNullCheck('public.t', 'x')?.name).toBe('t_x_check');
    // the lint sees it too: SET NOT NULL after the validated check needs no scan
    const sql =
      'ALTER TABLE t ADD CHECK (x IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_x_check;\nALTER TABLE t ALTER COLUMN x SET NOT NULL;';
    expect(only(lintText(sql), 'adding-not-nullable-field')).toHaveLength(0);
  });

  it('a NOT NULL added NOT VALID (PostgreSQL 18) makes the column NOT NULL only once validated', () => {
    const c = replay(`CREATE TABLE t (x int);
      ALTER TABLE t ADD CONSTRAINT t_x_nn NOT NULL x NOT VALID;`);
    expect(c.column('public.t', 'x')?.notNull).toBe(false);
    expect(c.constraint('public.t', 't_x_nn')?.validated).toBe(false);
    replay('ALTER TABLE t VALIDATE CONSTRAINT t_x_nn;', c);
    expect(c.column('public.t', 'x')?.notNull).toBe(true);
  });
});
