import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../../server/src/parser/parse';
import { TextIndex } from '../../../server/src/text/positions';
import { Catalog } from '../../../server/src/schema/catalog';
import { applyStatement } from '../../../server/src/schema/apply';

beforeAll(() => initParser());

function replay(sql: string, catalog = new Catalog(), id = 'm1'): Catalog {
  for (const s of parseSql(new TextIndex(sql)).statements) applyStatement(catalog, s, id);
  return catalog;
}

describe('schema model: partitions', () => {
  it('records the partition key, partitions and the default partition', () => {
    const c = replay(`CREATE TABLE app.events (id bigint, at date) PARTITION BY RANGE (at);
      CREATE TABLE app.events_d PARTITION OF app.events DEFAULT;
      CREATE TABLE app.events_1 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
      CREATE TABLE h (k int) PARTITION BY HASH ((k + 1));`);
    expect(c.table('app.events')?.partitionKey).toEqual({ strategy: 'range', columns: ['at'] });
    expect(c.table('app.events_d')).toMatchObject({
      partitionOf: 'app.events',
      defaultPartition: true,
    });
    expect(c.table('app.events_1')).toMatchObject({
      partitionOf: 'app.events',
      defaultPartition: false,
    });
    expect(c.table('public.h')?.partitionKey).toEqual({ strategy: 'hash', columns: [undefined] });
  });

  it('follows ATTACH / DETACH, renames of the parent and DROP of the parent', () => {
    const c = replay(`CREATE TABLE p (a int) PARTITION BY LIST (a);
      CREATE TABLE c1 (a int);
      ALTER TABLE p ATTACH PARTITION c1 FOR VALUES IN (1);
      CREATE TABLE c2 (a int);
      ALTER TABLE p ATTACH PARTITION c2 DEFAULT;`);
    expect(c.table('public.c1')?.partitionOf).toBe('public.p');
    expect(c.table('public.c2')?.defaultPartition).toBe(true);
    replay('ALTER TABLE p DETACH PARTITION c2;', c);
    expect(c.table('public.c2')).toMatchObject({ partitionOf: undefined, defaultPartition: false });
    replay('ALTER TABLE p RENAME TO p2;', c);
    expect(c.table('public.c1')?.partitionOf).toBe('public.p2');
    replay('DROP TABLE p2;', c);
    expect(c.table('public.c1')).toBeUndefined();
    expect(c.table('public.c2')).toBeDefined();
  });
});

describe('schema model: materialized views', () => {
  it('tracks creation, population, renames, drops and partial indexes', () => {
    const c = replay(`CREATE MATERIALIZED VIEW s.mv AS SELECT 1 AS a WITH NO DATA;
      CREATE UNIQUE INDEX mv_a ON s.mv (a);
      CREATE UNIQUE INDEX mv_a_pos ON s.mv (a) WHERE a > 0;`);
    expect(c.matviews.get('s.mv')).toMatchObject({ createdIn: 'm1', populated: false });
    expect(c.indexes.get('s.mv_a')).toMatchObject({ unique: true, partial: false });
    expect(c.indexes.get('s.mv_a_pos')?.partial).toBe(true);
    replay('REFRESH MATERIALIZED VIEW s.mv;', c);
    expect(c.matviews.get('s.mv')?.populated).toBe(true);
    const clone = c.clone();
    replay('ALTER MATERIALIZED VIEW s.mv RENAME TO mv2;', clone);
    expect(clone.matviews.has('s.mv')).toBe(false);
    expect(clone.matviews.get('s.mv2')?.name).toBe('mv2');
    expect(c.matviews.get('s.mv')?.name).toBe('mv');
    replay('DROP MATERIALIZED VIEW s.mv;', c);
    expect(c.matviews.size).toBe(0);
    expect(c.indexes.has('s.mv_a')).toBe(false);
  });
});

describe('schema model: enum values', () => {
  it('places ADD VALUE … BEFORE / AFTER next to the neighbour, else last', () => {
    const c = replay(`CREATE TYPE mood AS ENUM ('ok', 'sad');
      ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';
      ALTER TYPE mood ADD VALUE 'great' AFTER 'ok';
      ALTER TYPE mood ADD VALUE 'angry';
      ALTER TYPE mood ADD VALUE 'x' BEFORE 'unknown';`);
    expect(c.types.get('public.mood')?.values).toEqual(['ok', 'great', 'meh', 'sad', 'angry', 'x']);
  });
});
