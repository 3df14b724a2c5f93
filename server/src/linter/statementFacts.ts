/**
 * Facts about a statement that several rules (and later the hover) need: whether it can run in a
 * transaction, which tables it locks and in which mode.
 */
import { memoByTree } from '../parser/treeMemo';
import { listName, rangeVarName, relKey } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';

/** PostgreSQL's table lock modes, weakest first (LockStmt.mode numbers them from 1). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

/** A mode's strength: a stronger mode has a higher rank. */
export function lockRank(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

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
  return lockRank(mode) >= lockRank('SHARE');
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
    if (!prev || lockRank(l.mode) > lockRank(prev.mode)) by.set(l.table, l);
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

/** A FOREIGN KEY (column or table constraint) takes SHARE ROW EXCLUSIVE on the table it references. */
function referencedByForeignKeys(elements: Ast[] | undefined): TableLock[] {
  const out: TableLock[] = [];
  for (const e of elements ?? []) {
    const constraints = e.ColumnDef ? (e.ColumnDef.constraints ?? []) : [e];
    for (const c of constraints)
      if (c.Constraint?.contype === 'CONSTR_FOREIGN' && c.Constraint.pktable)
        out.push({
          table: relKey(rangeVarName(c.Constraint.pktable)),
          mode: 'SHARE ROW EXCLUSIVE',
        });
  }
  return out;
}

/** The table of `DROP TRIGGER/RULE/POLICY name ON table`: the name list without its last item. */
function tableOfMember(o: Ast): string {
  const items = o.List?.items ?? [];
  return relKey(listName(items.slice(0, -1)));
}

/**
 * Table-level locks a statement takes on tables that existed before it (measured on PostgreSQL 15
 * and 18 by `pgmig trace`; see docs/rules for each hazard and test/trace for the measurements).
 */
export function tableLocks(s: Statement): readonly TableLock[] {
  return lockCache(s);
}

// a pure function of the parse tree that a dozen rules, the weighing and the hover ask for
const lockCache = memoByTree((s): readonly TableLock[] => Object.freeze(computeTableLocks(s)));

function computeTableLocks(s: Statement): TableLock[] {
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
        if (cmd.subtype === 'AT_AddColumn') locks.push(...referencedByForeignKeys([cmd.def]));
        if (cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent)
          mode = 'SHARE UPDATE EXCLUSIVE';
        // the partition itself: ACCESS EXCLUSIVE for ATTACH and DETACH (DETACH CONCURRENTLY takes
        // it in its second transaction, after waiting for the parent's users)
        const partition = cmd.def?.PartitionCmd?.name;
        if (
          partition &&
          (cmd.subtype === 'AT_AttachPartition' || cmd.subtype === 'AT_DetachPartition')
        )
          locks.push({ table: relKey(rangeVarName(partition)), mode: 'ACCESS EXCLUSIVE' });
        locks.push({ table, mode });
      }
      return strongest(locks);
    }
    case 'RenameStmt':
      if (!a.relation) return [];
      return [
        {
          table: relKey(rangeVarName(a.relation)),
          // renaming an index takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12
          mode: a.renameType === 'OBJECT_INDEX' ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
        },
      ];
    case 'DropStmt':
      switch (a.removeType) {
        case 'OBJECT_TABLE':
        case 'OBJECT_INDEX':
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW':
          return (a.objects ?? []).map((o: Ast) => ({
            table: relKey(listName(o.List?.items)),
            mode: a.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
          }));
        case 'OBJECT_TRIGGER':
        case 'OBJECT_RULE':
        case 'OBJECT_POLICY':
          return (a.objects ?? []).map((o: Ast) => ({
            table: tableOfMember(o),
            mode: 'ACCESS EXCLUSIVE' as LockMode,
          }));
        default:
          return [];
      }
    case 'LockStmt': {
      const mode = LOCK_MODES[(a.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE';
      return (a.relations ?? []).map((r: Ast) => ({
        table: relKey(rangeVarName(r.RangeVar)),
        mode,
      }));
    }
    case 'CreateStmt': {
      const own = relKey(rangeVarName(a.relation));
      const locks = referencedByForeignKeys(a.tableElts).filter((l) => l.table !== own);
      // PARTITION OF takes ACCESS EXCLUSIVE on the parent; INHERITS, SHARE UPDATE EXCLUSIVE
      for (const p of a.inhRelations ?? [])
        locks.push({
          table: relKey(rangeVarName(p.RangeVar)),
          mode: a.partbound ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE',
        });
      return strongest(locks);
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return [{ table: relKey(rangeVarName(a.table)), mode: 'ACCESS EXCLUSIVE' }];
    case 'RuleStmt':
      return [{ table: relKey(rangeVarName(a.relation)), mode: 'ACCESS EXCLUSIVE' }];
    case 'CreateStatsStmt':
      return (a.relations ?? []).map((r: Ast) => ({
        table: relKey(rangeVarName(r.RangeVar)),
        mode: 'SHARE UPDATE EXCLUSIVE' as LockMode,
      }));
    case 'CommentStmt': {
      const items = a.object?.List?.items;
      if (a.objtype === 'OBJECT_COLUMN')
        return [{ table: relKey(listName(items?.slice(0, -1))), mode: 'SHARE UPDATE EXCLUSIVE' }];
      if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(a.objtype))
        return [{ table: relKey(listName(items)), mode: 'SHARE UPDATE EXCLUSIVE' }];
      return [];
    }
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

/** What a lock mode stops others from doing, per kind of work (the hover's table). */
export interface LockConflicts {
  /** SELECT (ACCESS SHARE). */
  reads: boolean;
  /** INSERT, UPDATE, DELETE (ROW EXCLUSIVE). */
  writes: boolean;
  /** Other schema changes, VACUUM, CREATE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE). */
  schemaChanges: boolean;
}

export function lockConflicts(mode: LockMode): LockConflicts {
  return {
    reads: mode === 'ACCESS EXCLUSIVE',
    writes: lockRank(mode) >= lockRank('SHARE'),
    schemaChanges: lockRank(mode) >= lockRank('SHARE UPDATE EXCLUSIVE'),
  };
}
