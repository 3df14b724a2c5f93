/**
 * DOWN generation: walks an UP section's statements with the schema model as it stands before
 * each one, inverts each statement, and returns the inverses in reverse order. A table the UP
 * creates is dropped once, in place of undoing every later change made to it alone.
 */
import { listName, rangeVarName, relKey, walkAst } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { applyStatement } from '../schema/apply';
import { Recorder, record } from '../schema/tracked';
import { alreadyThere, guardedStatements } from '../schema/doBlock';
import type { Catalog } from '../schema/catalog';
import type { InvertContext, Inverter } from './context';
import {
  invertAlterRole,
  invertComment,
  invertGrant,
  invertOwner,
  invertSwapped,
} from './invertAcl';
import {
  invertData,
  invertDo,
  invertRename,
  invertSelect,
  invertSetSchema,
  invertUnknown,
  noInverse,
} from './invertMisc';
import {
  invertAlterEnum,
  invertAlterFunction,
  invertAlterPolicy,
  invertAlterSequence,
  invertCreateExtension,
  invertCreateFunction,
  invertCreatePolicy,
  invertCreateRole,
  invertCreateSchema,
  invertCreateSequence,
  invertCreateType,
  invertDrop,
  invertEventTrigger,
  invertPublication,
  invertTrigger,
  invertView,
} from './invertObjects';
import { invertIndex } from './invertIndex';
import { invertAlterTable, invertCreateTable, invertCreateTableAs } from './invertTable';
import type { DownItem, DownPlan } from './types';

const INVERTERS: Record<string, Inverter> = {
  CreateStmt: invertCreateTable,
  CreateTableAsStmt: invertCreateTableAs,
  AlterTableStmt: invertAlterTable,
  IndexStmt: invertIndex,
  DropStmt: invertDrop,
  RenameStmt: invertRename,
  AlterObjectSchemaStmt: invertSetSchema,
  CreateFunctionStmt: invertCreateFunction,
  AlterFunctionStmt: invertAlterFunction,
  ViewStmt: invertView,
  CreateTrigStmt: invertTrigger,
  CreateSeqStmt: invertCreateSequence,
  AlterSeqStmt: invertAlterSequence,
  CreateExtensionStmt: invertCreateExtension,
  CreateSchemaStmt: invertCreateSchema,
  CreateEnumStmt: invertCreateType,
  CompositeTypeStmt: invertCreateType,
  CreateDomainStmt: invertCreateType,
  CreateRangeStmt: invertCreateType,
  AlterEnumStmt: invertAlterEnum,
  CreatePolicyStmt: invertCreatePolicy,
  AlterPolicyStmt: invertAlterPolicy,
  CommentStmt: invertComment,
  GrantStmt: invertGrant,
  GrantRoleStmt: invertSwapped,
  AlterDefaultPrivilegesStmt: invertSwapped,
  AlterOwnerStmt: invertOwner,
  AlterRoleStmt: invertAlterRole,
  AlterRoleSetStmt: invertAlterRole,
  CreateEventTrigStmt: invertEventTrigger,
  CreatePublicationStmt: invertPublication,
  CreateRoleStmt: invertCreateRole,
  InsertStmt: invertData,
  UpdateStmt: invertData,
  DeleteStmt: invertData,
  MergeStmt: invertData,
  TruncateStmt: invertData,
  CopyStmt: invertData,
  SelectStmt: invertSelect,
  DoStmt: invertDo,
  // no schema effect, nothing to undo
  VariableSetStmt: noInverse,
  VariableShowStmt: noInverse,
  TransactionStmt: noInverse,
  LockStmt: noInverse,
  VacuumStmt: noInverse,
  ExplainStmt: noInverse,
  NotifyStmt: noInverse,
  ListenStmt: noInverse,
  UnlistenStmt: noInverse,
  CheckPointStmt: noInverse,
  DiscardStmt: noInverse,
  RefreshMatViewStmt: noInverse,
  ClusterStmt: noInverse,
  ReindexStmt: noInverse,
  DeallocateStmt: noInverse,
  PrepareStmt: noInverse,
};

export interface GenerateOptions {
  /** Id the statements are applied under in the model (the migration's). */
  migrationId: string;
  /**
   * Compare the whole model before and after each statement, on a copy of it per statement, as
   * the first version did: slow on long migrations, kept so that tests can check the fast path
   * against it.
   */
  exhaustive?: boolean;
}

/**
 * The DOWN for `statements` (an UP section) given the schema model before them. `before` is not
 * changed.
 */
export function generateDown(
  statements: Statement[],
  before: Catalog,
  options: GenerateOptions,
): DownPlan {
  // the model before the statement at hand, and the same model one statement further; each
  // statement is applied to `ahead` alone and its writes copied over, so that no statement pays
  // for a copy of the whole model (a long UP would cost the square of its length)
  const catalog = before.clone();
  const ahead = before.clone();
  const writes = new Recorder();
  const groups: DownItem[][] = [];
  const createdTables = new Set<string>();
  const createdTypes = new Set<string>();
  const createdRoles = new Set<string>();
  // a "create unless it exists" DO block is undone as its statements
  const guarded = new Set<Statement>();
  statements = statements.flatMap((s) => {
    const inner = guardedStatements(s);
    inner?.forEach((i) => guarded.add(i));
    return inner ?? [s];
  });
  for (const stmt of statements) {
    if (guarded.has(stmt) && alreadyThere(catalog, stmt)) {
      groups.push([]);
      continue;
    }
    let applied = false;
    const step = () => {
      if (applied) return;
      applied = true;
      stepAhead(ahead, stmt, options.migrationId, writes);
    };
    let copy: Catalog | undefined;
    const ctx: InvertContext = {
      stmt,
      before: catalog,
      after() {
        if (!options.exhaustive) {
          step();
          return ahead;
        }
        if (!copy) {
          copy = catalog.clone();
          applyStatement(copy, stmt, options.migrationId);
        }
        return copy;
      },
      written: options.exhaustive
        ? undefined
        : (label) => {
            step();
            for (const [map, keys] of writes.writes) if (map.label === label) return keys.keys();
            return [];
          },
      migrationId: options.migrationId,
      createdHere: (k) => createdTables.has(k),
      typeCreatedHere: (k) => createdTypes.has(k),
      roleCreatedHere: (r) => createdRoles.has(r),
    };
    const invert = INVERTERS[stmt.kind] ?? invertUnknown;
    groups.push(invert(ctx));
    trackCreated(stmt, catalog, createdTables, createdTypes);
    if (stmt.kind === 'CreateRoleStmt') createdRoles.add(stmt.ast.role);
    step();
    catchUp(catalog, ahead, writes);
  }
  subsumeCreatedTables(statements, groups);
  const items = groups.reverse().flat();
  return {
    items,
    complete: !items.some((i) => i.todo),
    noTransaction: items.some((i) => i.noTransaction),
  };
}

/**
 * Applies one statement to `ahead` and keeps which entries it wrote. A table is copied on its first
 * write in the statement, and every other entry is replaced, never changed in place: so the
 * entries the model behind shares with `ahead` stay as they were.
 */
function stepAhead(ahead: Catalog, stmt: Statement, migrationId: string, writes: Recorder): void {
  writes.clear();
  ahead.beginStatement();
  const outer = record(writes);
  try {
    applyStatement(ahead, stmt, migrationId);
  } finally {
    record(outer);
  }
}

/** Brings `behind` to where `ahead` is, by the entries the last statement wrote. */
function catchUp(behind: Catalog, ahead: Catalog, writes: Recorder): void {
  const maps = behind.trackedMaps();
  for (const [map, keys] of writes.writes) {
    const target = maps.find((m) => m.label === map.label)!;
    for (const key of keys.keys()) target.put(key, map.peek(key));
  }
}

function trackCreated(
  stmt: Statement,
  catalog: Catalog,
  tables: Set<string>,
  types: Set<string>,
): void {
  const a = stmt.ast;
  switch (stmt.kind) {
    case 'CreateStmt': {
      const k = relKey(rangeVarName(a.relation));
      if (!(a.if_not_exists && catalog.tables.has(k))) tables.add(k);
      return;
    }
    case 'CreateTableAsStmt':
      if (a.objtype !== 'OBJECT_MATVIEW') tables.add(relKey(rangeVarName(a.into?.rel)));
      return;
    case 'CreateEnumStmt':
    case 'CreateDomainStmt': {
      const k = relKey(listName(stmt.kind === 'CreateDomainStmt' ? a.domainname : a.typeName));
      if (!catalog.types.has(k)) types.add(k);
      return;
    }
    case 'CompositeTypeStmt': {
      const k = relKey(rangeVarName(a.typevar));
      if (!catalog.types.has(k)) types.add(k);
      return;
    }
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
    case 'DropStmt':
      // a table renamed or dropped again is followed statement by statement
      for (const k of relationsOf(a)) tables.delete(k);
      return;
    default:
      return;
  }
}

/** The one table a statement changes, when it changes nothing else (ALTER TABLE t, CREATE INDEX ON t …). */
function ownTable(stmt: Statement): string | undefined {
  const a = stmt.ast;
  switch (stmt.kind) {
    case 'AlterTableStmt':
      return a.objtype === undefined || a.objtype === 'OBJECT_TABLE'
        ? relKey(rangeVarName(a.relation))
        : undefined;
    case 'IndexStmt':
    case 'CreateTrigStmt':
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
      return a.relation ? relKey(rangeVarName(a.relation)) : undefined;
    case 'CreatePolicyStmt':
      return relKey(rangeVarName(a.table));
    case 'CommentStmt': {
      const items: Ast[] = a.object?.List?.items ?? [];
      const names = items.map((i) => i.String?.sval as string);
      if (a.objtype === 'OBJECT_TABLE') return relKey(listName(items));
      if (a.objtype === 'OBJECT_COLUMN' || a.objtype === 'OBJECT_TABCONSTRAINT')
        return relKey(listName(names.slice(0, -1).map((sval) => ({ String: { sval } }))));
      return undefined;
    }
    case 'GrantStmt':
      return a.objtype === 'OBJECT_TABLE' &&
        a.targtype === 'ACL_TARGET_OBJECT' &&
        a.objects?.length === 1
        ? relKey(rangeVarName(a.objects[0].RangeVar))
        : undefined;
    default:
      return undefined;
  }
}

/** Keys of the relations a statement names anywhere in it. */
function relationsOf(a: Ast): Set<string> {
  const out = new Set<string>();
  walkAst(a, (k, v) => {
    if (k === 'RangeVar' || k === 'relation' || k === 'pktable' || k === 'table') {
      if (v?.relname) out.add(relKey(rangeVarName(v)));
    }
  });
  if (a?.relation?.relname) out.add(relKey(rangeVarName(a.relation)));
  for (const o of a?.objects ?? []) if (o?.List) out.add(relKey(listName(o.List.items)));
  return out;
}

/**
 * For a table created by this UP, DROP TABLE takes the place of the inverses of the statements
 * that only changed it (indexes, columns, comments, rows) up to the last of them that comes
 * before anything else refers to the table. The drop then runs first, and the objects the later
 * statements depended on are dropped after it.
 */
function subsumeCreatedTables(statements: Statement[], groups: DownItem[][]): void {
  statements.forEach((stmt, i) => {
    if (
      stmt.kind !== 'CreateStmt' ||
      groups[i].length !== 1 ||
      !groups[i][0].sql?.startsWith('DROP TABLE')
    )
      return;
    const key = relKey(rangeVarName(stmt.ast.relation));
    const own: number[] = [];
    for (let j = i + 1; j < statements.length; j++) {
      const s = statements[j];
      if (ownTable(s) === key && !isRenameOrDrop(s)) {
        own.push(j);
        continue;
      }
      if (relationsOf(s.ast).has(key) || isRenameOrDrop(s)) break;
    }
    if (own.length === 0) return;
    const last = own[own.length - 1];
    const drop = groups[i];
    for (const j of own) groups[j] = [];
    groups[i] = [];
    groups[last] = drop;
  });
}

function isRenameOrDrop(s: Statement): boolean {
  return s.kind === 'RenameStmt' || s.kind === 'AlterObjectSchemaStmt' || s.kind === 'DropStmt';
}
