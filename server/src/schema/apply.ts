/**
 * Applies one parsed statement to a Catalog. Statements it does not understand leave the catalog
 * as it was when they cannot change a modelled object, and mark what they touch uncertain when
 * they can.
 */
import {
  columnConstraints,
  constraintNameParts,
  listName,
  notNullCheckColumn,
  pgObjectName,
  rangeVarName,
  relKey,
  stringList,
  typeRef,
  walkAst,
  type QualifiedName,
} from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { createObject, dropObjects, renameObject, setSchema } from './namedObjects';
import { defaultIndexName } from './indexName';
import { type Catalog, type ColumnInfo, type ConstraintInfo, type TableInfo } from './catalog';
import { indexTail } from './definitions';
import { keepDefinitions } from './keep';
import { constraintDefinition } from './pieces';

export function applyStatement(catalog: Catalog, stmt: Statement, migrationId: string): void {
  // keep.ts looks at the catalog before the statement and records definitions after it
  const keep = keepDefinitions(catalog, stmt, migrationId);
  applyToModel(catalog, stmt, migrationId);
  keep?.();
}

function applyToModel(catalog: Catalog, stmt: Statement, migrationId: string): void {
  const a = stmt.ast;
  if (createObject(catalog, stmt, migrationId)) return;
  switch (stmt.kind) {
    case 'CreateStmt':
      return createTable(catalog, stmt, a, migrationId);
    case 'CreateTableAsStmt': {
      const rel = rangeVarName(a.into?.rel);
      if (a.objtype === 'OBJECT_MATVIEW') {
        if (a.if_not_exists && catalog.matviews.has(relKey(rel))) return;
        catalog.matviews.set(relKey(rel), {
          schema: rel.schema ?? 'public',
          name: rel.name,
          createdIn: migrationId,
          populated: !a.into?.skipData,
        });
        return;
      }
      catalog.addTable(relKey(rel), emptyTable(rel, migrationId, true));
      return;
    }
    case 'AlterTableStmt':
      if (a.objtype === 'OBJECT_TABLE' || a.objtype === undefined)
        return alterTable(catalog, stmt, a, migrationId);
      return;
    case 'RenameStmt':
      renameObject(catalog, a);
      return rename(catalog, a);
    case 'DropStmt':
      dropObjects(catalog, a);
      return drop(catalog, a);
    case 'AlterObjectSchemaStmt':
      return setSchema(catalog, a);
    case 'IndexStmt': {
      const rel = rangeVarName(a.relation);
      const schema = rel.schema ?? 'public';
      const name = a.idxname ?? defaultIndexName(catalog, schema, rel.name, a);
      if (a.if_not_exists && catalog.indexes.has(`${schema}.${name}`)) return;
      catalog.indexes.set(`${schema}.${name}`, {
        name,
        schema,
        table: rel.name,
        columns: (a.indexParams ?? []).map((p: Ast) => p.IndexElem?.name ?? '(expr)'),
        unique: !!a.unique,
        partial: !!a.whereClause,
        expressionColumns: expressionColumns([
          (a.indexParams ?? []).map((p: Ast) => p.IndexElem?.expr),
          a.whereClause,
        ]),
        tail: indexTail(stmt),
        createdIn: migrationId,
      });
      return;
    }
    case 'RefreshMatViewStmt': {
      const key = relKey(rangeVarName(a.relation));
      const m = catalog.matviews.get(key);
      if (m) catalog.matviews.set(key, { ...m, populated: !a.skipData });
      return;
    }
    case 'CreateEnumStmt': {
      const n = listName(a.typeName);
      catalog.types.set(relKey(n), {
        schema: n.schema ?? 'public',
        name: n.name,
        kind: 'enum',
        values: stringList(a.vals),
        createdIn: migrationId,
      });
      return;
    }
    case 'AlterEnumStmt': {
      const key = relKey(listName(a.typeName));
      const t = catalog.types.get(key);
      if (t && a.newVal && !a.oldVal && !t.values.includes(a.newVal)) {
        // BEFORE / AFTER place the value next to its neighbour; without one it goes last
        const values = [...t.values];
        const at = a.newValNeighbor ? values.indexOf(a.newValNeighbor) : -1;
        if (at < 0) values.push(a.newVal);
        else values.splice(a.newValIsAfter ? at + 1 : at, 0, a.newVal);
        catalog.types.set(key, { ...t, values });
      }
      if (t && a.oldVal && a.newVal)
        catalog.types.set(key, {
          ...t,
          values: t.values.map((v) => (v === a.oldVal ? a.newVal : v)),
        });
      return;
    }
    case 'CompositeTypeStmt': {
      const n = rangeVarName(a.typevar);
      catalog.types.set(relKey(n), {
        schema: n.schema ?? 'public',
        name: n.name,
        kind: 'composite',
        values: [],
        createdIn: migrationId,
      });
      return;
    }
    case 'CreateDomainStmt': {
      const n = listName(a.domainname);
      catalog.types.set(relKey(n), {
        schema: n.schema ?? 'public',
        name: n.name,
        kind: 'domain',
        values: [],
        createdIn: migrationId,
      });
      return;
    }
    case 'DoStmt':
      return opaqueBody(catalog, a);
    default:
      return;
  }
}

function emptyTable(rel: QualifiedName, migrationId: string, uncertain: boolean): TableInfo {
  return {
    schema: rel.schema ?? 'public',
    name: rel.name,
    columns: new Map(),
    constraints: new Map(),
    createdIn: migrationId,
    uncertain,
    partitioned: false,
  };
}

function columnFrom(def: Ast): ColumnInfo {
  const cons = columnConstraints(def);
  const type = typeRef(def.typeName);
  const serial = /serial/i.test(stringList(def.typeName?.names).join('.'));
  return {
    name: def.colname,
    type,
    // serial and identity columns are NOT NULL without saying so
    notNull:
      serial ||
      cons.some((c) => ['CONSTR_NOTNULL', 'CONSTR_PRIMARY', 'CONSTR_IDENTITY'].includes(c.contype)),
    hasDefault: serial || cons.some((c) => c.contype === 'CONSTR_DEFAULT'),
    identity: cons.some((c) => c.contype === 'CONSTR_IDENTITY'),
    generated: cons.some((c) => c.contype === 'CONSTR_GENERATED'),
  };
}

function createTable(catalog: Catalog, stmt: Statement, a: Ast, migrationId: string): void {
  const rel = rangeVarName(a.relation);
  const key = relKey(rel);
  if (a.if_not_exists && catalog.tables.has(key)) return;
  // inherited or LIKE columns are not modelled: the table exists, its columns are uncertain
  const copies = (a.inhRelations ?? []).length > 0 && !a.partbound;
  const hasLike = (a.tableElts ?? []).some((e: Ast) => e.TableLikeClause);
  const t = emptyTable(rel, migrationId, copies || hasLike || !!a.ofTypename);
  t.partitioned = !!a.partspec;
  if (a.partspec) t.partitionKey = partitionKey(a.partspec);
  if (a.partbound && a.inhRelations?.[0]?.RangeVar) {
    t.partitionOf = relKey(rangeVarName(a.inhRelations[0].RangeVar));
    t.defaultPartition = !!a.partbound.is_default;
    // a partition has its parent's columns
    const parent = catalog.table(t.partitionOf);
    if (parent && !parent.uncertain)
      for (const [n, c] of parent.columns) t.columns.set(n, { ...c, type: { ...c.type } });
    else t.uncertain = true;
  }
  for (const e of a.tableElts ?? []) {
    if (e.ColumnDef) {
      // a partition's `col WITH OPTIONS NOT NULL` adds to the inherited column
      const inherited = !e.ColumnDef.typeName && t.columns.get(e.ColumnDef.colname);
      const col = inherited || columnFrom(e.ColumnDef);
      t.columns.set(col.name, col);
      for (const c of columnConstraints(e.ColumnDef))
        addConstraint(t, c, [col.name], migrationId, stmt);
    } else if (e.Constraint) {
      addConstraint(t, e.Constraint, undefined, migrationId, stmt);
    }
  }
  catalog.addTable(key, t);
}

const STRATEGIES: Record<string, 'range' | 'list' | 'hash'> = {
  PARTITION_STRATEGY_RANGE: 'range',
  PARTITION_STRATEGY_LIST: 'list',
  PARTITION_STRATEGY_HASH: 'hash',
};

function partitionKey(spec: Ast): TableInfo['partitionKey'] {
  const strategy = STRATEGIES[spec.strategy as string];
  if (!strategy) return undefined;
  return {
    strategy,
    columns: (spec.partParams ?? []).map((p: Ast) => p.PartitionElem?.name as string | undefined),
  };
}

function addConstraint(
  t: TableInfo,
  c: Ast,
  columnsOfColumnDef: string[] | undefined,
  migrationId: string,
  stmt: Statement,
): void {
  const type = CONTYPES[c.contype as string];
  if (!type) return;
  const columns: string[] =
    columnsOfColumnDef ??
    (type === 'check'
      ? expressionColumns(c.raw_expr)
      : type === 'exclude'
        ? exclusionColumns(c.exclusions)
        : stringList(c.keys ?? c.fk_attrs ?? c.including ?? []));
  // a NOT NULL added NOT VALID (PostgreSQL 18) does not make the column NOT NULL until validated
  if (type === 'primary' || (type === 'notnull' && !c.skip_validation)) {
    for (const col of columns) {
      const info = t.columns.get(col);
      if (info) info.notNull = true;
    }
    if (type === 'notnull' && !c.conname && columnsOfColumnDef) return;
  }
  const name = c.conname ?? c.indexname ?? generatedName(t, c, columnsOfColumnDef);
  const info: ConstraintInfo = {
    name,
    type,
    validated: !c.skip_validation,
    columns,
    createdIn: migrationId,
  };
  info.definition = constraintDefinition(stmt, c);
  if (type === 'check') info.notNullColumn = notNullCheckColumn(c.raw_expr);
  if (type === 'foreign' && c.pktable) info.references = relKey(rangeVarName(c.pktable));
  t.constraints.set(name, info);
}

/** Columns of an EXCLUDE constraint's elements, bare or inside expressions. */
function exclusionColumns(exclusions: Ast): string[] {
  const cols = new Set<string>();
  walkAst(exclusions, (k, v) => {
    if (k === 'IndexElem' && v.name) cols.add(v.name);
  });
  for (const c of expressionColumns(exclusions)) cols.add(c);
  return [...cols];
}

/** Columns an expression refers to (a CHECK on a table drops with any of them). */
function expressionColumns(expr: Ast): string[] {
  const cols = new Set<string>();
  walkAst(expr, (k, v) => {
    if (k === 'ColumnRef') {
      const f = v.fields?.[v.fields.length - 1]?.String?.sval;
      if (f) cols.add(f);
    }
  });
  return [...cols];
}

/** The name PostgreSQL gives an unnamed constraint, numbered past the table's other names. */
function generatedName(t: TableInfo, c: Ast, columnsOfColumnDef: string[] | undefined): string {
  const parts = constraintNameParts(c, columnsOfColumnDef) ?? { columns: [], label: 'constraint' };
  for (let pass = 0; ; pass++) {
    const label = pass ? `${parts.label}${pass}` : parts.label;
    const name = pgObjectName(t.name, parts.columns.join('_'), label);
    if (!t.constraints.has(name)) return name;
  }
}

const CONTYPES: Record<string, ConstraintInfo['type'] | undefined> = {
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary',
  CONSTR_EXCLUSION: 'exclude',
  CONSTR_NOTNULL: 'notnull',
};

// ALTER TABLE subcommands that change nothing the model tracks.
const NEUTRAL = new Set([
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_ChangeOwner',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ReplaceRelOptions',
  'AT_EnableTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrigUser',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableRule',
  'AT_DisableRule',
  'AT_EnableRowSecurity',
  'AT_DisableRowSecurity',
  'AT_ForceRowSecurity',
  'AT_NoForceRowSecurity',
  'AT_ReplicaIdentity',
  'AT_SetLogged',
  'AT_SetUnLogged',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetTableSpace',
  'AT_AttachPartition',
  'AT_DetachPartition',
  'AT_DetachPartitionFinalize',
  'AT_AddInherit',
  'AT_DropInherit',
  'AT_GenericOptions',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_DropIdentity',
  'AT_AlterConstraint',
]);

function alterTable(catalog: Catalog, stmt: Statement, a: Ast, migrationId: string): void {
  const key = relKey(rangeVarName(a.relation));
  let t = catalog.tableForWrite(key);
  if (!t) {
    // the table predates the migrations the model saw (a baseline, a single file): keep the
    // constraints later statements rely on (a validated NOT NULL check), with uncertain columns
    t = emptyTable(rangeVarName(a.relation), '', true);
    catalog.addTable(key, t);
  }
  for (const wrapped of a.cmds ?? []) {
    const cmd = wrapped.AlterTableCmd;
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef;
        if (!def) break;
        if (cmd.missing_ok && t.columns.has(def.colname)) break;
        const col = columnFrom(def);
        t.columns.set(col.name, col);
        for (const c of columnConstraints(def)) addConstraint(t, c, [col.name], migrationId, stmt);
        break;
      }
      case 'AT_DropColumn':
        t.columns.delete(cmd.name);
        for (const [n, c] of t.constraints)
          if (c.columns.includes(cmd.name)) t.constraints.delete(n);
        // indexes on the column go with it
        for (const [k, i] of catalog.indexes.group(key))
          if (i.columns.includes(cmd.name) || i.expressionColumns?.includes(cmd.name))
            catalog.indexes.delete(k);
        break;
      case 'AT_AlterColumnType': {
        const col = t.columns.get(cmd.name);
        const def = cmd.def?.ColumnDef;
        if (col && def?.typeName) col.type = typeRef(def.typeName);
        else if (!col) t.uncertain = true;
        break;
      }
      case 'AT_SetNotNull': {
        const col = t.columns.get(cmd.name);
        if (col) col.notNull = true;
        break;
      }
      case 'AT_DropNotNull': {
        const col = t.columns.get(cmd.name);
        if (col) col.notNull = false;
        break;
      }
      case 'AT_ColumnDefault': {
        const col = t.columns.get(cmd.name);
        if (col) col.hasDefault = !!cmd.def;
        break;
      }
      case 'AT_AddConstraint':
        if (cmd.def?.Constraint) addConstraint(t, cmd.def.Constraint, undefined, migrationId, stmt);
        break;
      case 'AT_ValidateConstraint': {
        const c = t.constraints.get(cmd.name);
        if (c) c.validated = true;
        if (c?.type === 'notnull')
          for (const col of c.columns) {
            const info = t.columns.get(col);
            if (info) info.notNull = true;
          }
        break;
      }
      case 'AT_DropConstraint':
        t.constraints.delete(cmd.name);
        break;
      case 'AT_AttachPartition':
      case 'AT_DetachPartition':
      case 'AT_DetachPartitionFinalize': {
        const pc = cmd.def?.PartitionCmd;
        const child = pc?.name && catalog.tableForWrite(relKey(rangeVarName(pc.name)));
        if (!child) break;
        const attach = cmd.subtype === 'AT_AttachPartition';
        child.partitionOf = attach ? key : undefined;
        child.defaultPartition = attach && !!pc.bound?.is_default;
        break;
      }
      default:
        if (!NEUTRAL.has(cmd.subtype)) t.uncertain = true;
    }
  }
}

function rename(catalog: Catalog, a: Ast): void {
  switch (a.renameType) {
    case 'OBJECT_TABLE': {
      const from = rangeVarName(a.relation);
      const t = catalog.tableForWrite(relKey(from));
      if (!t) return;
      catalog.tables.delete(relKey(from));
      t.name = a.newname;
      const to = relKey({ schema: t.schema, name: t.name });
      catalog.tables.set(to, t);
      for (const [k, other] of catalog.tables)
        if (other.partitionOf === relKey(from)) {
          const w = catalog.tableForWrite(k);
          if (w) w.partitionOf = to;
        }
      for (const [k, i] of catalog.indexes.group(`${t.schema}.${from.name}`))
        catalog.indexes.set(k, { ...i, table: a.newname });
      return;
    }
    case 'OBJECT_COLUMN': {
      const t = catalog.tableForWrite(relKey(rangeVarName(a.relation)));
      const col = t?.columns.get(a.subname);
      if (!t || !col) return;
      t.columns.delete(a.subname);
      col.name = a.newname;
      t.columns.set(a.newname, col);
      for (const c of t.constraints.values()) {
        c.columns = c.columns.map((x) => (x === a.subname ? a.newname : x));
        if (c.notNullColumn === a.subname) c.notNullColumn = a.newname;
      }
      for (const [k, i] of catalog.indexes.group(`${t.schema}.${t.name}`))
        catalog.indexes.set(k, {
          ...i,
          columns: i.columns.map((x) => (x === a.subname ? a.newname : x)),
        });
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const t = catalog.tableForWrite(relKey(rangeVarName(a.relation)));
      const c = t?.constraints.get(a.subname);
      if (!t || !c) return;
      t.constraints.delete(a.subname);
      c.name = a.newname;
      t.constraints.set(a.newname, c);
      return;
    }
    case 'OBJECT_MATVIEW': {
      const from = relKey(rangeVarName(a.relation));
      const m = catalog.matviews.get(from);
      if (!m) return;
      catalog.matviews.delete(from);
      const renamed = { ...m, name: a.newname };
      catalog.matviews.set(relKey(renamed), renamed);
      return;
    }
    case 'OBJECT_INDEX': {
      const from = rangeVarName(a.relation);
      const key = relKey(from);
      const i = catalog.indexes.get(key);
      if (!i) return;
      catalog.indexes.delete(key);
      catalog.indexes.set(`${i.schema}.${a.newname}`, { ...i, name: a.newname });
      return;
    }
    default:
      return;
  }
}

function drop(catalog: Catalog, a: Ast): void {
  for (const obj of a.objects ?? []) {
    const name = listName(obj.List?.items ?? obj.TypeName?.names ?? (obj.String ? [obj] : []));
    if (!name.name) continue;
    const key = relKey(name);
    switch (a.removeType) {
      case 'OBJECT_TABLE':
        catalog.tables.delete(key);
        for (const [k] of catalog.indexes.group(key)) catalog.indexes.delete(k);
        // partitions go with their parent
        for (const [k, t] of catalog.tables) if (t.partitionOf === key) catalog.tables.delete(k);
        break;
      case 'OBJECT_INDEX':
        catalog.indexes.delete(key);
        break;
      case 'OBJECT_MATVIEW':
        catalog.matviews.delete(key);
        for (const [k] of catalog.indexes.group(key)) catalog.indexes.delete(k);
        break;
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        catalog.types.delete(key);
        break;
      case 'OBJECT_SCHEMA':
        for (const [k, t] of catalog.tables) if (t.schema === name.name) catalog.tables.delete(k);
        break;
      default:
        break;
    }
  }
}

/**
 * A DO block runs PL/pgSQL the model does not execute. Dynamic SQL (EXECUTE) can touch anything,
 * so the catalog becomes opaque; otherwise the tables it names in DDL become uncertain.
 */
function opaqueBody(catalog: Catalog, a: Ast): void {
  let body = '';
  walkAst(a.args, (k, v) => {
    if (k === 'String' && typeof v.sval === 'string') body += v.sval;
  });
  if (/\bexecute\b/i.test(body)) {
    catalog.markOpaque('a DO block runs dynamic SQL');
    return;
  }
  const re =
    /\b(?:alter|drop|create)\s+table\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?([\w."]+)/gi;
  for (const m of body.matchAll(re)) {
    const parts = m[1].replace(/"/g, '').split('.');
    const key = parts.length > 1 ? `${parts[0]}.${parts[1]}` : `public.${parts[0]}`;
    const t = catalog.tableForWrite(key);
    if (t) t.uncertain = true;
  }
}
