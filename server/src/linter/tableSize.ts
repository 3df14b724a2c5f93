/**
 * What a table's real size means for a statement's lock: "users: ~12 M rows, 3.4 GB — this
 * rewrite holds ACCESS EXCLUSIVE for minutes". The sizes come from a connected database
 * (trace/size.ts); the durations are orders of magnitude from assumed throughputs, said in words,
 * never promised.
 */
import { shortName } from './lockWindow';
import type { LockMode } from './statementFacts';

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

/** Roughly how long the work holds its lock; undefined when there is no work, only the lock. */
export function workSeconds(size: TableSize, work: TableWork): number | undefined {
  if (work.rewrite) return size.totalBytes / REWRITE_BYTES_PER_S;
  if (work.indexBuild) return size.heapBytes / INDEX_BYTES_PER_S;
  if (work.scan) return size.heapBytes / SCAN_BYTES_PER_S;
  return undefined;
}

function duration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 60) return 'seconds';
  if (seconds < 3600) return 'minutes';
  return 'hours';
}

/** "users: ~12 M rows, 3.4 GB — this rewrite holds ACCESS EXCLUSIVE for minutes". */
export function weigh(size: TableSize, work: TableWork): string {
  const head = describeSize(size);
  const seconds = workSeconds(size, work);
  if (seconds === undefined)
    return `${head} — ${work.mode} is taken only briefly (no rewrite or scan), but it waits behind every open transaction on ${shortName(size.table)}, and every query on it waits behind the migration`;
  const what = work.rewrite
    ? 'this rewrite'
    : work.indexBuild
      ? 'this index build'
      : 'this full scan';
  return `${head} — ${what} holds ${work.mode} for ${duration(seconds)}`;
}
