/**
 * pgmig's side table `pgmig_history`, next to the runner's own history: the content hash of each
 * applied migration (to show files changed after they were applied), its duration, and the
 * failed state of a migration that stopped half-way outside a transaction (which blocks further
 * runs until it is resolved). The `sideTable` setting turns it off.
 */
import type { Failure } from './types';
import { tableExists, type Queryable } from './history/types';

export const SIDE_TABLE = 'pgmig_history';

export interface SideRow {
  key: string;
  /** Applied: the content hash. Failed: the hash of the statements that completed. */
  checksum?: string;
  state: 'applied' | 'failed';
  direction?: 'up' | 'down';
  appliedAt: Date;
  durationMs?: number;
  failure?: Failure;
  /** Statements of the failed section that had completed. */
  doneStatements?: number;
}

export async function ensureSideTable(c: Queryable): Promise<void> {
  if (await tableExists(c, SIDE_TABLE)) return;
  await c.query(`CREATE TABLE IF NOT EXISTS ${SIDE_TABLE} (
  history_table text NOT NULL,
  key text NOT NULL,
  version text NOT NULL,
  name text NOT NULL,
  checksum text,
  state text NOT NULL CHECK (state IN ('applied', 'failed')),
  direction text,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer,
  failure jsonb,
  done_statements integer,
  PRIMARY KEY (history_table, key)
)`);
}

export async function readSide(c: Queryable, historyTable: string): Promise<Map<string, SideRow>> {
  const out = new Map<string, SideRow>();
  if (!(await tableExists(c, SIDE_TABLE))) return out;
  const r = await c.query<{
    key: string;
    checksum: string | null;
    state: 'applied' | 'failed';
    direction: 'up' | 'down' | null;
    applied_at: Date;
    duration_ms: number | null;
    failure: Failure | null;
    done_statements: number | null;
  }>(
    `SELECT key, checksum, state, direction, applied_at, duration_ms, failure, done_statements
       FROM ${SIDE_TABLE} WHERE history_table = $1`,
    [historyTable],
  );
  for (const x of r.rows)
    out.set(x.key, {
      key: x.key,
      checksum: x.checksum ?? undefined,
      state: x.state,
      direction: x.direction ?? undefined,
      appliedAt: x.applied_at,
      durationMs: x.duration_ms ?? undefined,
      failure: x.failure ?? undefined,
      doneStatements: x.done_statements ?? undefined,
    });
  return out;
}

interface Ident {
  historyTable: string;
  key: string;
  version: string;
  name: string;
}

export async function recordApplied(
  c: Queryable,
  id: Ident,
  checksum: string,
  durationMs: number,
): Promise<void> {
  await c.query(
    `INSERT INTO ${SIDE_TABLE} (history_table, key, version, name, checksum, state, applied_at, duration_ms)
     VALUES ($1, $2, $3, $4, $5, 'applied', now(), $6)
     ON CONFLICT (history_table, key) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name,
       checksum = EXCLUDED.checksum, state = 'applied', direction = NULL, applied_at = now(),
       duration_ms = EXCLUDED.duration_ms, failure = NULL, done_statements = NULL`,
    [id.historyTable, id.key, id.version, id.name, checksum, Math.round(durationMs)],
  );
}

export async function recordFailed(
  c: Queryable,
  id: Ident,
  direction: 'up' | 'down',
  failure: Failure,
  doneStatements: number,
  /** Hash of the statements that completed (kept in `checksum` while failed). */
  doneHash: string,
): Promise<void> {
  await c.query(
    `INSERT INTO ${SIDE_TABLE} (history_table, key, version, name, checksum, state, direction, failure, done_statements)
     VALUES ($1, $2, $3, $4, $5, 'failed', $6, $7, $8)
     ON CONFLICT (history_table, key) DO UPDATE SET checksum = EXCLUDED.checksum, state = 'failed',
       direction = EXCLUDED.direction, applied_at = now(), failure = EXCLUDED.failure,
       done_statements = EXCLUDED.done_statements`,
    [
      id.historyTable,
      id.key,
      id.version,
      id.name,
      doneHash,
      direction,
      JSON.stringify(failure),
      doneStatements,
    ],
  );
}

export async function forget(
  c: Queryable,
  historyTable: string,
  key: string,
  /** The caller knows the table exists (a batched write cannot ask). */
  exists = false,
): Promise<void> {
  if (!exists && !(await tableExists(c, SIDE_TABLE))) return;
  await c.query(`DELETE FROM ${SIDE_TABLE} WHERE history_table = $1 AND key = $2`, [
    historyTable,
    key,
  ]);
}
