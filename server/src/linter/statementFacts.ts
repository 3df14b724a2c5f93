/**
 * Facts about a statement that several rules (and later the hover) need: whether it can run in a
 * transaction, which tables it locks and in which mode.
 */
import { listName, rangeVarName, relKey } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';

export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

const RANK: Record<LockMode, number> = {
  'ACCESS SHARE': 1,
  'ROW SHARE': 2,
  'ROW EXCLUSIVE': 3,
  'SHARE UPDATE EXCLUSIVE': 4,
  SHARE: 5,
  'SHARE ROW EXCLUSIVE': 6,
  EXCLUSIVE: 7,
  'ACCESS EXCLUSIVE': 8,
};

/** What a lock mode blocks, in the words users think in. */
export function lockBlocks(mode: LockMode): string {
  switch (mode) {
    case 'ACCESS EXCLUSIVE':
      return 'reads and writes';
    case 'EXCLUSIVE':
      return 'writes (reads continue)';
    case 'SHARE ROW EXCLUSIVE':
    case 'SHARE':
      return 'writes (reads continue)';
    case 'SHARE UPDATE EXCLUSIVE':
      return 'other schema changes and VACUUM (reads and writes continue)';
    default:
      return 'only ACCESS EXCLUSIVE locks';
  }
}

/** Whether a lock mode conflicts with ordinary reads or writes of the application. */
export function blocksTraffic(mode: LockMode): boolean {
  return RANK[mode] >= RANK['SHARE'];
}

function reindexConcurrent(a: Ast): boolean {
  return (a.params ?? []).some((p: Ast) => p.DefElem?.defname === 'concurrently');
}

/** Statements PostgreSQL refuses to run inside a transaction block. */
export function isNonTransactional(s: Statement, pgVersion = 99): boolean {
  const a = s.ast;
  switch (s.kind) {
    case 'IndexStmt':
      return !!a.concurrent;
    case 'DropStmt':
      return !!a.concurrent;
    case 'ReindexStmt':
      return (
        reindexConcurrent(a) ||
        a.kind === 'REINDEX_OBJECT_SYSTEM' ||
        a.kind === 'REINDEX_OBJECT_DATABASE'
      );
    case 'VacuumStmt':
      return !!a.is_vacuumcmd;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
      return true;
    case 'AlterEnumStmt':
      return pgVersion < 12 && !a.oldVal;
    case 'AlterTableStmt':
      return (a.cmds ?? []).some(
        (c: Ast) =>
          c.AlterTableCmd?.subtype === 'AT_DetachPartition' &&
          c.AlterTableCmd.def?.PartitionCmd?.concurrent,
      );
    default:
      return false;
  }
}

export interface TableLock {
  table: string;
  mode: LockMode;
}

function strongest(locks: TableLock[]): TableLock[] {
  const by = new Map<string, TableLock>();
  for (const l of locks) {
    const prev = by.get(l.table);
    if (!prev || RANK[l.mode] > RANK[prev.mode]) by.set(l.table, l);
  }
  return [...by.values()];
}

const ALTER_LOCK: Record<string, LockMode> = {
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_SetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ValidateConstraint: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_AttachPartition: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
};

/**
 * Table-level locks a statement takes on tables that existed before it (measured on PostgreSQL 15;
 * see docs/rules for each hazard).
 */
export function tableLocks(s: Statement): TableLock[] {
  const a = s.ast;
  switch (s.kind) {
    case 'IndexStmt':
      return [
        {
          table: relKey(rangeVarName(a.relation)),
          mode: a.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE',
        },
      ];
    case 'AlterTableStmt': {
      const table = relKey(rangeVarName(a.relation));
      const locks: TableLock[] = [];
      for (const c of a.cmds ?? []) {
        const cmd = c.AlterTableCmd;
        if (!cmd) continue;
        let mode: LockMode = ALTER_LOCK[cmd.subtype] ?? 'ACCESS EXCLUSIVE';
        const con = cmd.def?.Constraint;
        if (cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_FOREIGN') {
          mode = 'SHARE ROW EXCLUSIVE';
          if (con.pktable) locks.push({ table: relKey(rangeVarName(con.pktable)), mode });
        }
        if (cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent)
          mode = 'SHARE UPDATE EXCLUSIVE';
        locks.push({ table, mode });
      }
      return strongest(locks);
    }
    case 'RenameStmt':
      return a.relation
        ? [{ table: relKey(rangeVarName(a.relation)), mode: 'ACCESS EXCLUSIVE' }]
        : [];
    case 'DropStmt':
      if (a.removeType === 'OBJECT_TABLE' || a.removeType === 'OBJECT_INDEX')
        return (a.objects ?? []).map((o: Ast) => ({
          table: relKey(listName(o.List?.items)),
          mode: a.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
        }));
      return [];
    case 'TruncateStmt':
      return (a.relations ?? []).map((r: Ast) => ({
        table: relKey(rangeVarName(r.RangeVar)),
        mode: 'ACCESS EXCLUSIVE' as LockMode,
      }));
    case 'ReindexStmt':
      return a.relation
        ? [
            {
              table: relKey(rangeVarName(a.relation)),
              mode: reindexConcurrent(a) ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE',
            },
          ]
        : [];
    case 'CreateTrigStmt':
      return [{ table: relKey(rangeVarName(a.relation)), mode: 'SHARE ROW EXCLUSIVE' }];
    case 'ClusterStmt':
      return a.relation
        ? [{ table: relKey(rangeVarName(a.relation)), mode: 'ACCESS EXCLUSIVE' }]
        : [];
    case 'RefreshMatViewStmt':
      return [
        {
          table: relKey(rangeVarName(a.relation)),
          mode: a.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE',
        },
      ];
    case 'VacuumStmt': {
      const full = (a.options ?? []).some((o: Ast) => o.DefElem?.defname === 'full');
      return (a.rels ?? []).map((r: Ast) => ({
        table: relKey(rangeVarName(r.VacuumRelation?.relation)),
        mode: (full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE') as LockMode,
      }));
    }
    default:
      return [];
  }
}
