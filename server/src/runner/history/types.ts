/**
 * A history adapter reads (and for the runners pgmig can stand in for, writes) the history table
 * exactly as that runner does, so the team's own tool agrees with pgmig afterwards.
 */
import type { Migration } from '../../folder/model';

/** The part of a pg client the adapters use. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface AppliedRow {
  /** Matches `adapter.keyOf(migration)`. */
  key: string;
  version: string;
  name?: string;
  appliedAt?: Date;
  /** A run that did not finish (golang-migrate dirty, Flyway success=false, Prisma unfinished). */
  failed?: boolean;
  /** The runner's own checksum of the applied file, when it keeps one. */
  checksum?: string;
  durationMs?: number;
}

export interface HistoryAdapter {
  runner: string;
  /** Table name as shown to users. */
  table: string;
  /** Whether pgmig writes this history (and so can run up/down). */
  writable: boolean;
  /** The key a history row has for this migration. */
  keyOf(m: Migration): string;
  exists(c: Queryable): Promise<boolean>;
  /** Applied rows in the order they were applied (oldest first); [] when the table is missing. */
  read(c: Queryable, migrations: readonly Migration[]): Promise<AppliedRow[]>;
  /** The runner's own checksum of a migration's files, compared with `AppliedRow.checksum`. */
  checksumOf?(m: Migration): string | undefined;
  /** The advisory lock key the runner itself takes, so pgmig and the runner exclude each other. */
  lockKey?(c: Queryable): Promise<string>;
  ensure?(c: Queryable): Promise<void>;
  /** Runs inside the migration's transaction when it has one. */
  recordUp?(c: Queryable, m: Migration, migrations: readonly Migration[]): Promise<void>;
  recordDown?(c: Queryable, m: Migration, migrations: readonly Migration[]): Promise<void>;
  /** Before a migration that runs without a transaction (golang-migrate's dirty flag). */
  markDirty?(
    c: Queryable,
    m: Migration,
    direction: 'up' | 'down',
    migrations: readonly Migration[],
  ): Promise<void>;
  /** Undo markDirty after resolving a failure as not applied. */
  clearDirty?(c: Queryable, m: Migration, migrations: readonly Migration[]): Promise<void>;
}

/** Whether a table (optionally schema-qualified) exists, seen through the search_path. */
export async function tableExists(c: Queryable, name: string): Promise<boolean> {
  const r = await c.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [name]);
  return r.rows[0]?.ok === true;
}

/** Column names of a table, to tell runners that share a table name apart. */
export async function columnsOf(c: Queryable, name: string): Promise<Set<string>> {
  const r = await c.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [name],
  );
  return new Set(r.rows.map((x) => x.attname));
}
