/**
 * How big the tables a migration touches really are, from the connected database: estimated rows
 * (pg_class.reltuples, summed over partitions) and size on disk (pg_total_relation_size), and
 * what that means for a statement's lock: "users: ~12 M rows, 3.4 GB — this rewrite holds ACCESS
 * EXCLUSIVE for minutes". The durations are orders of magnitude from assumed throughputs, said as
 * such, never promises.
 */
import type { LockMode } from '../linter/statementFacts';
import { shortName } from './compare';

interface Queryable {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}

export interface TableSize {
  /** `schema.name`. */
  table: string;
  /** Estimated rows; undefined when the table was never analyzed or vacuumed. */
  estimatedRows?: number;
  /** Table, indexes and TOAST (all partitions). */
  totalBytes: number;
  /** The table's own heap (all partitions). */
  heapBytes: number;
}

function split(key: string): [string, string] {
  const dot = key.indexOf('.');
  return dot < 0 ? ['public', key] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** Sizes of the tables that exist in the connected database (others are left out). */
export async function tableSizes(db: Queryable, tables: readonly string[]): Promise<TableSize[]> {
  const unique = [...new Set(tables)];
  if (unique.length === 0) return [];
  const parts = unique.map(split);
  const r = await db.query<{
    s: string;
    n: string;
    rows: number | null;
    total: string;
    heap: string;
  }>(
    `WITH rel AS (
       SELECT t.s, t.n, c.oid, c.relkind FROM unnest($1::text[], $2::text[]) AS t(s, n)
       JOIN pg_namespace ns ON ns.nspname = t.s
       JOIN pg_class c ON c.relnamespace = ns.oid AND c.relname = t.n AND c.relkind IN ('r', 'p', 'm')),
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
    [parts.map((p) => p[0]), parts.map((p) => p[1])],
  );
  return r.rows.map((row) => ({
    table: `${row.s}.${row.n}`,
    estimatedRows: row.rows === null ? undefined : Math.round(Number(row.rows)),
    totalBytes: Number(row.total),
    heapBytes: Number(row.heap),
  }));
}

export function formatRows(n: number | undefined): string {
  if (n === undefined) return 'rows unknown (never analyzed)';
  if (n < 1000) return `~${n} rows`;
  const units: Array<[number, string]> = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units)
    if (n >= size) {
      const v = n / size;
      return `~${v >= 10 ? Math.round(v) : v.toFixed(1)} ${unit} rows`;
    }
  return `~${n} rows`;
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function describeSize(s: TableSize): string {
  return `${shortName(s.table)}: ${formatRows(s.estimatedRows)}, ${formatBytes(s.totalBytes)}`;
}

/** What the statement does to the table's data while it holds its lock. */
export interface TableWork {
  mode: LockMode;
  /** The table (and its indexes) is written anew. */
  rewrite?: boolean;
  /** An index is built from the table. */
  indexBuild?: boolean;
  /** The table is read in full (validation, SET NOT NULL). */
  scan?: boolean;
}

// Orders of magnitude for a busy server's disks; the words, not the numbers, are shown.
const REWRITE_BYTES_PER_S = 50 * 1024 * 1024;
const INDEX_BYTES_PER_S = 50 * 1024 * 1024;
const SCAN_BYTES_PER_S = 200 * 1024 * 1024;

function duration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 60) return 'seconds';
  if (seconds < 3600) return 'minutes';
  return 'hours';
}

/** "users: ~12 M rows, 3.4 GB — this rewrite holds ACCESS EXCLUSIVE for minutes". */
export function weigh(size: TableSize, work: TableWork): string {
  const head = describeSize(size);
  let what: string;
  let seconds: number;
  if (work.rewrite) {
    what = 'this rewrite';
    seconds = size.totalBytes / REWRITE_BYTES_PER_S;
  } else if (work.indexBuild) {
    what = 'this index build';
    seconds = size.heapBytes / INDEX_BYTES_PER_S;
  } else if (work.scan) {
    what = 'this full scan';
    seconds = size.heapBytes / SCAN_BYTES_PER_S;
  } else {
    return `${head} — ${work.mode} is taken only briefly (no rewrite or scan), but it waits behind every open transaction on ${shortName(size.table)}, and every query on it waits behind the migration`;
  }
  return `${head} — ${what} holds ${work.mode} for ${duration(seconds)}`;
}
