/**
 * Live activity on the connected database before a migration runs: sessions with an open
 * transaction that holds a lock on a table the migration locks (the migration's lock queues
 * behind it, and every later query on the table queues behind the migration), and transactions
 * open for long (they hold back CONCURRENTLY operations and VACUUM). Query texts are shortened and
 * stripped of anything that looks like a password.
 */
import type { LockMode } from '../linter/statementFacts';
import { shortName } from '../linter/lockWindow';
import { modesConflict, lockModeOf } from './lockMatrix';

interface Queryable {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}

export interface OpenTransaction {
  pid: number;
  user?: string;
  application?: string;
  /** `active`, `idle in transaction`, … */
  state?: string;
  /** Seconds since its transaction began. */
  transactionSeconds: number;
  /** The last query it ran (shortened, passwords masked). */
  query?: string;
  /** Granted locks on the tables asked about. */
  locks: Array<{ table: string; mode: LockMode }>;
}

export interface ActivityOptions {
  /** Transactions open longer than this are reported even without locks on the tables (default 60 s). */
  longSeconds?: number;
}

const MAX_QUERY = 120;

export function maskQuery(q: string): string {
  const one = q
    .replace(/\b(password|passwd)\s*(=\s*)?('(?:[^']|'')*'|\S+)/gi, '$1 ***')
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > MAX_QUERY ? `${one.slice(0, MAX_QUERY - 1)}…` : one;
}

function split(key: string): [string, string] {
  const dot = key.indexOf('.');
  return dot < 0 ? ['public', key] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** Other sessions' open transactions that lock `tables`, or that are older than `longSeconds`. */
export async function openTransactions(
  db: Queryable,
  tables: readonly string[],
  options: ActivityOptions = {},
): Promise<OpenTransaction[]> {
  const parts = [...new Set(tables)].map(split);
  const r = await db.query<{
    pid: number;
    usename: string | null;
    application_name: string | null;
    state: string | null;
    age: number;
    query: string | null;
    locks: Array<{ s: string; n: string; mode: string }> | null;
  }>(
    `WITH wanted AS (
       SELECT c.oid, t.s, t.n FROM unnest($1::text[], $2::text[]) AS t(s, n)
       JOIN pg_namespace ns ON ns.nspname = t.s
       JOIN pg_class c ON c.relnamespace = ns.oid AND c.relname = t.n)
     SELECT a.pid, a.usename, a.application_name, a.state,
            extract(epoch FROM now() - a.xact_start)::float8 AS age, a.query,
            (SELECT json_agg(json_build_object('s', w.s, 'n', w.n, 'mode', l.mode))
               FROM pg_locks l JOIN wanted w ON w.oid = l.relation
              WHERE l.pid = a.pid AND l.granted AND l.locktype = 'relation') AS locks
       FROM pg_stat_activity a
      WHERE a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
        AND a.datname = current_database() AND a.backend_type = 'client backend'
      ORDER BY a.xact_start`,
    [parts.map((p) => p[0]), parts.map((p) => p[1])],
  );
  const long = options.longSeconds ?? 60;
  const out: OpenTransaction[] = [];
  for (const row of r.rows) {
    const locks = (row.locks ?? []).flatMap((l) => {
      const mode = lockModeOf(l.mode);
      return mode ? [{ table: `${l.s}.${l.n}`, mode }] : [];
    });
    if (locks.length === 0 && Number(row.age) < long) continue;
    out.push({
      pid: Number(row.pid),
      user: row.usename ?? undefined,
      application: row.application_name || undefined,
      state: row.state ?? undefined,
      transactionSeconds: Number(row.age),
      query: row.query ? maskQuery(row.query) : undefined,
      locks,
    });
  }
  return out;
}

function age(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Warnings for a migration that needs `needed` (table → mode): one per open transaction whose
 * locks conflict with it, and one per long transaction.
 */
export function describeOpenTransactions(
  txs: readonly OpenTransaction[],
  needed: ReadonlyMap<string, LockMode>,
): string[] {
  const out: string[] = [];
  for (const tx of txs) {
    const who = `pid ${tx.pid}${tx.application ? ` (${tx.application})` : ''}, ${tx.state ?? 'in a transaction'} for ${age(tx.transactionSeconds)}`;
    const blocking = tx.locks.filter((l) => {
      const want = needed.get(l.table);
      return want !== undefined && modesConflict(want, l.mode);
    });
    if (blocking.length > 0) {
      const l = blocking[0];
      const t = shortName(l.table);
      out.push(
        `${who}, holds ${l.mode} on ${t}: the migration's ${needed.get(l.table)} on ${t} would queue behind it, and every query on ${t} would queue behind the migration` +
          (tx.query ? ` (last query: ${tx.query})` : ''),
      );
    } else if (tx.locks.length === 0) {
      out.push(
        `${who}: a long transaction holds back CREATE INDEX CONCURRENTLY and VACUUM` +
          (tx.query ? ` (last query: ${tx.query})` : ''),
      );
    }
  }
  return out;
}
