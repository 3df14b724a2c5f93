/**
 * A schema snapshot read from pg_catalog: every table, column (type, default, nullability,
 * identity, collation), constraint, index, type, routine, view, sequence, trigger, policy,
 * extension, schema, comment and privilege, as a map from an object's name (`column users.email`)
 * to its properties. Two snapshots of the same database compare with diffSnapshots.
 *
 * Left out on purpose: column order (a column dropped and added back comes last; nothing reads
 * a schema by position but `SELECT *`), owners (they depend on the role that connects), sequence
 * positions (data, not schema), the names PostgreSQL 18 gives NOT NULL constraints (PostgreSQL 15
 * has none; nullability is compared on the columns).
 */
import type { Queryable } from './queryable';
import { SNAPSHOT_QUERIES } from './snapshotSql';

export type Properties = Record<string, string | null>;

export interface Snapshot {
  /** Object name → properties; names are `kind qualified.name` (public left out). */
  objects: Map<string, Properties>;
}

type Row = Record<string, unknown>;

const RELKIND: Record<string, string> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  S: 'sequence',
  c: 'type',
};

function q(schema: unknown, name: unknown): string {
  return schema === 'public' ? String(name) : `${String(schema)}.${String(name)}`;
}

/** Rows' values as strings (booleans and numbers printed), null kept. */
function props(row: Row, skip: string[]): Properties {
  const out: Properties = {};
  for (const [k, v] of Object.entries(row)) {
    if (skip.includes(k)) continue;
    out[k] = v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export async function takeSnapshot(db: Queryable): Promise<Snapshot> {
  const data: Record<string, Row[]> = {};
  for (const [kind, sql] of Object.entries(SNAPSHOT_QUERIES)) {
    const raw = (await db.query(sql)).rows[0]?.rows;
    data[kind] = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as Row[];
  }
  const objects = new Map<string, Properties>();
  const put = (key: string, p: Properties) => objects.set(key, p);
  for (const r of data.schemas) put(`schema ${r.name}`, props(r, ['name']));
  for (const r of data.extensions) put(`extension ${r.name}`, props(r, ['name']));
  for (const r of data.relations)
    put(
      `${RELKIND[String(r.kind)] ?? 'relation'} ${q(r.schema, r.name)}`,
      props(r, ['schema', 'name']),
    );
  for (const r of data.columns) {
    const owner = RELKIND[String(r.relkind)] === 'type' ? 'attribute' : 'column';
    put(`${owner} ${q(r.schema, r.rel)}.${r.name}`, props(r, ['schema', 'rel', 'name', 'relkind']));
  }
  for (const r of data.constraints)
    put(`constraint ${q(r.schema, r.rel)}.${r.name}`, props(r, ['schema', 'rel', 'name']));
  for (const r of data.indexes) put(`index ${q(r.schema, r.name)}`, props(r, ['schema', 'name']));
  for (const r of data.types) put(`type ${q(r.schema, r.name)}`, props(r, ['schema', 'name']));
  for (const r of data.functions) {
    const kind = r.kind === 'p' ? 'procedure' : r.kind === 'a' ? 'aggregate' : 'function';
    put(`${kind} ${q(r.schema, r.name)}(${r.args})`, props(r, ['schema', 'name', 'args', 'kind']));
  }
  for (const r of data.triggers)
    put(`trigger ${q(r.schema, r.rel)}.${r.name}`, props(r, ['schema', 'rel', 'name']));
  for (const r of data.policies)
    put(`policy ${q(r.schema, r.rel)}.${r.name}`, props(r, ['schema', 'rel', 'name']));
  for (const r of data.default_privileges)
    put(
      `default privileges of ${r.role} in ${r.schema ?? 'every schema'} on ${r.objtype}`,
      props(r, ['role', 'schema', 'objtype']),
    );
  for (const r of data.event_triggers) put(`event trigger ${r.name}`, props(r, ['name']));
  return { objects };
}
