/**
 * Recreating what a statement dropped: everything the schema model had before it and not after,
 * in an order that satisfies dependencies. Where the model does not have a definition exactly,
 * a TODO says so: a DOWN must never rebuild something different.
 */
import type { Catalog, ConstraintInfo } from '../schema/catalog';
import type { TrackedMap } from '../schema/tracked';
import { commentSql, grantItems } from './aclSql';
import { literal, qkey, qname } from './sql';
import {
  columnDefSql,
  constraintSql,
  createIndexSql,
  createTableItems,
  serialItems,
  tableConstraints,
} from './tableSql';
import type { DownItem } from './types';

/** What tells a constraint from another of the same name (dropped and re-added). */
function signature(c: ConstraintInfo): string {
  return `${c.type}|${c.columns.join(',')}|${c.definition?.text ?? ''}`;
}

function unknown(what: string): DownItem {
  return { todo: `recreate ${what} by hand: the schema model does not know its exact definition` };
}

/**
 * Statements that bring back what exists in `before` but not in `after`, in an order that
 * satisfies dependencies: schemas, types, sequences, tables (then foreign keys between them),
 * columns and constraints of surviving tables, indexes, routines, views, triggers, policies,
 * row-level security, comments, grants.
 */
export interface Replaced {
  /** `schema.table.name` of columns and constraints dropped and added back under the same name. */
  columns?: ReadonlySet<string>;
  constraints?: ReadonlySet<string>;
}

/**
 * `written`, when given, names the keys of each map of the model that can differ between `before`
 * and `after` (what the statement wrote); only those are compared, in that order. Without it,
 * every entry is.
 */
export function recreateVanished(
  before: Catalog,
  after: Catalog,
  replaced: Replaced = {},
  written?: (label: string) => Iterable<string>,
): DownItem[] {
  // entries of one of before's maps that can have gone or changed, in before's order
  const candidates = <V>(map: TrackedMap<V>): Iterable<[string, V]> => {
    if (!written) return map;
    const keys = new Set<string>();
    for (const k of written(map.label)) if (map.has(k)) keys.add(k);
    if (keys.size > 1) {
      // several: they come back in the order they were made, as a scan of the map gives them
      const out: [string, V][] = [];
      for (const [k, v] of map) if (keys.has(k) && out.push([k, v]) === keys.size) break;
      return out;
    }
    return [...keys].map((k) => [k, map.get(k)!]);
  };
  const out: DownItem[] = [];
  for (const [name, s] of candidates(before.schemas))
    if (!after.schemas.has(name))
      out.push(s.definition ? { sql: `CREATE ${s.definition}` } : unknown(`schema ${name}`));
  for (const [k, o] of candidates(before.objects))
    if (o.kind === 'extension' && !after.objects.has(k))
      out.push(
        o.definition ? { sql: `CREATE ${o.definition.text}` } : unknown(`extension ${o.name}`),
      );
  for (const [k, t] of candidates(before.types)) {
    if (after.types.has(k)) continue;
    if (t.kind === 'enum')
      out.push({
        sql: `CREATE TYPE ${qname(t.schema, t.name)} AS ENUM (${t.values.map(literal).join(', ')})`,
      });
    else out.push(t.definition ? { sql: `CREATE ${t.definition.text}` } : unknown(`type ${k}`));
  }
  for (const [k, o] of candidates(before.objects))
    if (o.kind === 'sequence' && !after.objects.has(k))
      out.push(
        o.definition ? { sql: `CREATE ${o.definition.text}` } : unknown(`sequence ${k.slice(9)}`),
      );

  const gone = [...candidates(before.tables)].filter(([k]) => !after.tables.has(k));
  const goneKeys = new Set(gone.map(([k]) => k));
  const laterFks: DownItem[] = [];
  for (const [k, t] of gone) {
    // foreign keys to another table recreated here wait until both exist
    const skip = new Set(
      tableConstraints(t)
        .filter(
          (c) =>
            c.type === 'foreign' &&
            c.references &&
            c.references !== k &&
            goneKeys.has(c.references),
        )
        .map((c) => c.name),
    );
    const items = createTableItems(t, skip);
    if (!items) {
      out.push(unknown(`table ${k}`));
      continue;
    }
    out.push(...items);
    for (const name of skip) {
      const c = constraintSql(t.constraints.get(name)!);
      laterFks.push(
        c ? { sql: `ALTER TABLE ${qkey(k)} ADD ${c}` } : unknown(`constraint ${name} on ${k}`),
      );
    }
  }
  out.push(...laterFks);
  for (const [k, t] of candidates(before.tables)) {
    const now = after.tables.get(k);
    if (!now) continue;
    for (const col of t.columns.values()) {
      if (now.columns.has(col.name) && !replaced.columns?.has(`${k}.${col.name}`)) continue;
      const sql = t.uncertain ? undefined : columnDefSql(col, t);
      if (!sql) {
        out.push(unknown(`column ${k}.${col.name}`));
        continue;
      }
      const { pre, post } = serialItems([col], t);
      out.push(...pre, { sql: `ALTER TABLE ${qkey(k)} ADD COLUMN ${sql}` }, ...post);
    }
    for (const c of t.constraints.values()) {
      // foreign keys wait for the unique indexes they rely on (recreated below)
      if (c.type === 'foreign') continue;
      const same = now.constraints.get(c.name);
      const again = replaced.constraints?.has(`${k}.${c.name}`);
      if (c.type === 'notnull' || (same && signature(same) === signature(c) && !again)) continue;
      const sql = constraintSql(c);
      out.push(
        sql
          ? { sql: `ALTER TABLE ${qkey(k)} ADD ${sql}` }
          : unknown(`constraint ${c.name} on ${k}`),
      );
    }
  }
  const order = ['function', 'procedure', 'view', 'trigger'] as const;
  for (const kind of order)
    for (const [k, o] of candidates(before.objects)) {
      if (o.kind !== kind || after.objects.has(k)) continue;
      out.push(
        o.definition
          ? { sql: `CREATE ${o.definition.text}` }
          : unknown(`${kind} ${k.slice(kind.length + 1)}`),
      );
    }
  for (const [k, m] of candidates(before.matviews))
    if (!after.matviews.has(k))
      out.push(
        m.definition ? { sql: `CREATE ${m.definition.text}` } : unknown(`materialized view ${k}`),
      );
  // indexes after views: a materialized view can have them
  for (const [k, i] of candidates(before.indexes)) {
    if (after.indexes.has(k)) continue;
    const sql = createIndexSql(i);
    out.push(sql ? { sql } : unknown(`index ${k}`));
  }
  for (const [k, t] of candidates(before.tables)) {
    const now = after.tables.get(k);
    if (!now) continue;
    for (const c of t.constraints.values()) {
      if (c.type !== 'foreign') continue;
      const same = now.constraints.get(c.name);
      const again = replaced.constraints?.has(`${k}.${c.name}`);
      if (same && signature(same) === signature(c) && !again) continue;
      const sql = constraintSql(c);
      out.push(
        sql
          ? { sql: `ALTER TABLE ${qkey(k)} ADD ${sql}` }
          : unknown(`constraint ${c.name} on ${k}`),
      );
    }
  }
  for (const [k, p] of candidates(before.policies))
    if (!after.policies.has(k))
      out.push(p.definition ? { sql: `CREATE ${p.definition.text}` } : unknown(`policy ${k}`));
  for (const [k, t] of gone) {
    if (t.rowSecurity) out.push({ sql: `ALTER TABLE ${qkey(k)} ENABLE ROW LEVEL SECURITY` });
    if (t.forceRowSecurity) out.push({ sql: `ALTER TABLE ${qkey(k)} FORCE ROW LEVEL SECURITY` });
  }
  for (const [key, text] of candidates(before.comments))
    if (!after.comments.has(key)) out.push(commentSql(before, key, text));
  for (const [key, entries] of candidates(before.grants)) {
    if (!key.includes(':')) continue;
    const now = after.grants.get(key);
    const lost = [...entries].filter((e) => !now?.has(e));
    // PostgreSQL's own default (EXECUTE to PUBLIC) comes back with the function
    const recreated = !after.objects.has(key) && key.startsWith('function:');
    out.push(
      ...grantItems(before, key, recreated ? lost.filter((e) => e !== 'PUBLIC execute') : lost),
    );
  }
  return out;
}
