/**
 * How big the tables of the connected database really are: estimated rows (pg_class.reltuples,
 * summed over partitions) and size on disk (pg_total_relation_size). What a size means for a
 * statement is linter/tableSize.ts.
 */
import type { Database } from '../db/open';
import type { TableSize } from '../linter/tableSize';

export { describeSize, weigh, type TableSize } from '../linter/tableSize';

interface Queryable {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}

function split(key: string): [string, string] {
  const dot = key.indexOf('.');
  return dot < 0 ? ['public', key] : [key.slice(0, dot), key.slice(dot + 1)];
}

/**
 * Sizes of the tables that exist in the connected database (others are left out); without a list,
 * of every table outside the system schemas.
 */
export async function tableSizes(db: Queryable, tables?: readonly string[]): Promise<TableSize[]> {
  const unique = tables ? [...new Set(tables)] : undefined;
  if (unique?.length === 0) return [];
  const parts = (unique ?? []).map(split);
  const r = await db.query<{
    s: string;
    n: string;
    rows: number | null;
    total: string;
    heap: string;
  }>(
    `WITH rel AS (
       SELECT ns.nspname AS s, c.relname AS n, c.oid, c.relkind
       FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'm')
         AND ($3::bool
              OR (ns.nspname::text, c.relname::text) IN
                 (SELECT * FROM unnest($1::text[], $2::text[])))
         AND ns.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')),
     -- a partitioned table's rows and bytes are its partitions'
     parts AS (
       SELECT rel.s, rel.n, p.oid, p.reltuples FROM rel
       JOIN pg_class p ON p.oid = rel.oid AND rel.relkind <> 'p'
       UNION ALL
       SELECT rel.s, rel.n, pt.relid, pc.reltuples FROM rel
       CROSS JOIN LATERAL pg_partition_tree(rel.oid) pt
       JOIN pg_class pc ON pc.oid = pt.relid
       WHERE rel.relkind = 'p' AND pt.isleaf)
     SELECT s, n, (sum(reltuples) FILTER (WHERE reltuples >= 0))::float8 AS rows,
            coalesce(sum(pg_total_relation_size(oid)), 0)::int8 AS total,
            coalesce(sum(pg_relation_size(oid)), 0)::int8 AS heap
       FROM parts GROUP BY s, n`,
    [parts.map((p) => p[0]), parts.map((p) => p[1]), unique === undefined],
  );
  return r.rows.map((row) => ({
    table: `${row.s}.${row.n}`,
    estimatedRows: row.rows === null ? undefined : Math.round(Number(row.rows)),
    totalBytes: Number(row.total),
    heapBytes: Number(row.heap),
  }));
}

/** Every table's size on a database, by `schema.name`, read on a connection of its own. */
export async function sizesOn(db: Database): Promise<Map<string, TableSize>> {
  const client = await db.connect();
  try {
    return new Map((await tableSizes(client)).map((s) => [s.table, s]));
  } finally {
    await client.end().catch(() => {});
  }
}
