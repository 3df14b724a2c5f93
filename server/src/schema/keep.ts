/**
 * The second half of applying a statement: what the model keeps as SQL so that a DOWN can put
 * back what an UP changed (column types and defaults, table options, object definitions,
 * comments, grants, policies). apply.ts follows what exists; this follows how it is defined.
 * Called before the statement is applied; the returned function runs after it.
 */
import { rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import type { Catalog, TableInfo } from './catalog';
import { fromKeyword, tableTail } from './definitions';
import { keepAcl } from './keepAcl';
import { keepObject } from './keepObjects';
import { columnSql, cmdSpan, defaultOfCmd } from './pieces';
import { forgetStale, sweep } from './stale';
import { alreadyThere, guardedStatements } from './doBlock';
import { applyStatement } from './apply';
import { typeSql } from './typeSql';

export function keepDefinitions(
  catalog: Catalog,
  stmt: Statement,
  migrationId: string,
): (() => void) | undefined {
  switch (stmt.kind) {
    case 'CreateStmt':
      return keepTable(catalog, stmt);
    case 'AlterTableStmt':
      return keepAlterTable(catalog, stmt);
    case 'CommentStmt':
    case 'GrantStmt':
    case 'AlterDefaultPrivilegesStmt':
      return keepAcl(catalog, stmt);
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
    case 'DropStmt':
      return forgetStale(catalog, stmt);
    case 'DoStmt':
      return keepDoBlock(catalog, stmt, migrationId);
    default:
      return keepObject(catalog, stmt, migrationId);
  }
}

/**
 * A "create unless it exists" DO block is its statements: apply.ts made the tables it names
 * uncertain; they are not, the statements are applied as they run.
 */
function keepDoBlock(
  catalog: Catalog,
  stmt: Statement,
  migrationId: string,
): (() => void) | undefined {
  const inner = guardedStatements(stmt);
  if (!inner) return undefined;
  const uncertain = new Map([...catalog.tables].map(([k, t]) => [k, t.uncertain]));
  return () => {
    for (const [k, t] of catalog.tables) {
      const was = uncertain.get(k);
      if (was !== undefined && t.uncertain !== was) {
        const w = catalog.tableForWrite(k);
        if (w) w.uncertain = was;
      }
    }
    for (const s of inner) if (!alreadyThere(catalog, s)) applyStatement(catalog, s, migrationId);
  };
}

/** Names of relations in a schema (tables, indexes, views, sequences share one namespace). */
export function relationNameTaken(catalog: Catalog, schema: string, name: string): boolean {
  const key = `${schema}.${name}`;
  return (
    catalog.tables.has(key) ||
    catalog.indexes.has(key) ||
    catalog.matviews.has(key) ||
    catalog.objects.has(`sequence:${key}`) ||
    catalog.objects.has(`view:${key}`)
  );
}

function keepTable(catalog: Catalog, stmt: Statement): (() => void) | undefined {
  const a = stmt.ast;
  const rel = rangeVarName(a.relation);
  const key = relKey(rel);
  if (a.if_not_exists && catalog.tables.has(key)) return undefined;
  // serial sequences are named past the relations that exist before the table
  const taken = new Set<string>();
  return () => {
    const t = catalog.tableForWrite(key);
    if (!t) return;
    t.unlogged = a.relation?.relpersistence === 'u' || undefined;
    t.tail = tableTail(stmt);
    if (a.ofTypename || a.partbound) t.notRecreatable = true;
    for (const e of a.tableElts ?? []) {
      const def = e.ColumnDef;
      const col = def && t.columns.get(def.colname);
      if (!col) continue;
      Object.assign(
        col,
        columnSql(stmt, def, t, (n) => seqTaken(catalog, t, n, taken)),
      );
    }
  };
}

function seqTaken(catalog: Catalog, t: TableInfo, name: string, taken: Set<string>): boolean {
  if (taken.has(name) || relationNameTaken(catalog, t.schema, name)) return true;
  // sequences of serial columns are not named objects: their names live in the defaults
  const text = t.schema === 'public' ? `'${name}'` : `'${t.schema}.${name}'`;
  for (const other of catalog.tables.values()) {
    if (other.schema !== t.schema) continue;
    for (const c of other.columns.values())
      if (c.defaultText?.startsWith('nextval(') && c.defaultText.includes(text)) return true;
  }
  taken.add(name);
  return false;
}

function keepAlterTable(catalog: Catalog, stmt: Statement): (() => void) | undefined {
  const a = stmt.ast;
  if (a.objtype !== undefined && a.objtype !== 'OBJECT_TABLE') {
    // ALTER TYPE … ADD ATTRIBUTE and friends arrive as ALTER TABLE on the type
    if (a.objtype === 'OBJECT_TYPE') {
      const key = relKey(rangeVarName(a.relation));
      const t = catalog.types.get(key);
      if (t) catalog.types.set(key, { ...t, definition: undefined });
    }
    return undefined;
  }
  const key = relKey(rangeVarName(a.relation));
  const before = new Set(catalog.table(key)?.columns.keys() ?? []);
  return () => {
    const t = catalog.tableForWrite(key);
    if (!t) return;
    const taken = new Set<string>();
    for (const w of a.cmds ?? []) {
      const cmd = w.AlterTableCmd;
      if (cmd) alterCmd(catalog, stmt, t, cmd, before, taken);
    }
    if (
      (a.cmds ?? []).some((w: Ast) => /^AT_Drop(Column|Constraint)$/.test(w.AlterTableCmd?.subtype))
    )
      sweep(catalog);
  };
}

function alterCmd(
  catalog: Catalog,
  stmt: Statement,
  t: TableInfo,
  cmd: Ast,
  before: Set<string>,
  taken: Set<string>,
): void {
  const col = cmd.name ? t.columns.get(cmd.name) : undefined;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      const added = def && !before.has(def.colname) ? t.columns.get(def.colname) : undefined;
      if (added)
        Object.assign(
          added,
          columnSql(stmt, def, t, (n) => seqTaken(catalog, t, n, taken)),
        );
      before.add(def?.colname);
      return;
    }
    case 'AT_AlterColumnType': {
      const def = cmd.def?.ColumnDef;
      if (!col || !def?.typeName) return;
      col.typeSql = typeSql(def.typeName);
      // a type change resets the collation to the new type's default unless one is given
      col.collation = def.collClause
        ? stringList(def.collClause.collname)
            .map((n) => `"${n.replace(/"/g, '""')}"`)
            .join('.')
        : undefined;
      col.serial = undefined;
      return;
    }
    case 'AT_ColumnDefault':
      if (!col) return;
      col.defaultText = cmd.def ? defaultOfCmd(stmt, cmd) : undefined;
      if (!cmd.def) col.serial = undefined;
      return;
    case 'AT_AddIdentity': {
      if (!col) return;
      const span = cmdSpan(stmt, cmd);
      col.identity = true;
      col.identityText = span && fromKeyword(stmt, span, 'GENERATED');
      return;
    }
    case 'AT_SetIdentity':
      if (col) col.identityText = undefined;
      return;
    case 'AT_DropIdentity':
      if (col) {
        col.identity = false;
        col.identityText = undefined;
      }
      return;
    case 'AT_DropColumn':
      dropColumnDependents(catalog, t, cmd.name);
      return;
    case 'AT_AddConstraint':
      usingIndex(catalog, t, cmd.def?.Constraint);
      return;
    case 'AT_DropExpression':
      if (col) {
        col.generated = false;
        col.generatedSql = undefined;
      }
      return;
    case 'AT_EnableRowSecurity':
      t.rowSecurity = true;
      return;
    case 'AT_DisableRowSecurity':
      t.rowSecurity = undefined;
      return;
    case 'AT_ForceRowSecurity':
      t.forceRowSecurity = true;
      return;
    case 'AT_NoForceRowSecurity':
      t.forceRowSecurity = undefined;
      return;
    case 'AT_SetLogged':
      t.unlogged = undefined;
      return;
    case 'AT_SetUnLogged':
      t.unlogged = true;
      return;
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_ReplaceRelOptions':
    case 'AT_SetTableSpace':
    case 'AT_AttachPartition':
    case 'AT_DetachPartition':
    case 'AT_AddInherit':
    case 'AT_DropInherit':
      // the kept table tail (WITH, TABLESPACE, partitions) no longer says it all
      t.notRecreatable = true;
      return;
    default:
      return;
  }
}

/**
 * ADD CONSTRAINT … USING INDEX: the index becomes the constraint's (renamed after it); the
 * constraint's definition is the index's column list when that is all the index is.
 */
function usingIndex(catalog: Catalog, t: TableInfo, con: Ast): void {
  if (!con?.indexname) return;
  const key = `${t.schema}.${con.indexname}`;
  const index = catalog.indexes.get(key);
  catalog.indexes.delete(key);
  const c = t.constraints.get(con.conname ?? con.indexname);
  const cols = /^(?:USING btree )?\(([^()]*)\)$/i.exec(index?.tail?.text ?? '');
  if (!c || !cols || index?.partial) return;
  const kind = con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
  c.definition = { text: `${kind} (${cols[1]})`, names: index?.tail?.names ?? [] };
}

/** Indexes, comments and grants go with a dropped column (its constraints go in apply.ts). */
function dropColumnDependents(catalog: Catalog, t: TableInfo, column: string): void {
  for (const [k, i] of catalog.indexes.group(`${t.schema}.${t.name}`))
    if (i.columns.includes(column) || i.tail?.names.includes(column)) catalog.indexes.delete(k);
  catalog.comments.delete(`column:${t.schema}.${t.name}.${column}`);
}
