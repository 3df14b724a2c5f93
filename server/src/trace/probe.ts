/**
 * The catalog reads a trace makes around each statement, on the statement's own session: user
 * relations with their storage (relfilenode), this backend's relation locks, and this
 * transaction's scan counters. They read system catalogs only, so the locks they take themselves
 * (on pg_class and friends) are filtered out with everything else outside user schemas.
 */
import type pg from 'pg';
import type { RelationKind } from './types';

export interface RelationInfo {
  oid: number;
  schema: string;
  name: string;
  /** `schema.name`. */
  key: string;
  kind: RelationKind;
  filenode: number;
  /** Indexes: the key of their table. */
  table?: string;
}

const KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned table',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  c: 'composite type',
};

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

export type RelationMap = Map<number, RelationInfo>;

export async function readRelations(client: pg.Client): Promise<RelationMap> {
  const r = await client.query<{
    oid: string;
    schema: string;
    name: string;
    kind: string;
    filenode: string;
    tschema: string | null;
    tname: string | null;
  }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
            c.relfilenode::int8 AS filenode, tn.nspname AS tschema, t.relname AS tname
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indexrelid = c.oid
       LEFT JOIN pg_class t ON t.oid = i.indrelid
       LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
      WHERE ${USER_SCHEMAS} AND c.relkind <> 't'`,
  );
  const out: RelationMap = new Map();
  for (const row of r.rows) {
    const oid = Number(row.oid);
    out.set(oid, {
      oid,
      schema: row.schema,
      name: row.name,
      key: `${row.schema}.${row.name}`,
      kind: KINDS[row.kind] ?? 'other',
      filenode: Number(row.filenode),
      table: row.tname ? `${row.tschema}.${row.tname}` : undefined,
    });
  }
  return out;
}

export interface HeldLock {
  oid: number;
  /** pg_locks.mode, e.g. `AccessExclusiveLock`. */
  mode: string;
  granted: boolean;
}

/** Relation locks of a backend (this one by default) on non-system relations. */
export async function readLocks(client: pg.Client, pid?: number): Promise<HeldLock[]> {
  const r = await client.query<{ oid: string; mode: string; granted: boolean }>(
    `SELECT l.relation::int8 AS oid, l.mode, l.granted
       FROM pg_locks l
      WHERE l.locktype = 'relation' AND l.pid = ${pid === undefined ? 'pg_backend_pid()' : '$1'}
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.relation >= 16384`,
    pid === undefined ? [] : [pid],
  );
  return r.rows.map((row) => ({ oid: Number(row.oid), mode: row.mode, granted: row.granted }));
}

/** Sequential scans started in the current transaction, by table oid. */
export async function readScans(client: pg.Client): Promise<Map<number, number>> {
  const r = await client.query<{ oid: string; seq: string | null }>(
    `SELECT relid::int8 AS oid, seq_scan::int8 AS seq FROM pg_stat_xact_user_tables`,
  );
  return new Map(r.rows.map((row) => [Number(row.oid), Number(row.seq ?? 0)]));
}
