/**
 * PostgreSQL's whole table-lock conflict matrix (mode against mode), for the trace and for open
 * transactions a migration would queue behind. What a mode means for the application comes from
 * linter/statementFacts.ts (lockConflicts, lockBlocks), plus SELECT … FOR UPDATE.
 */
import {
  LOCK_MODES,
  lockBlocks,
  lockConflicts,
  lockRank,
  type LockMode,
} from '../linter/statementFacts';

// From the PostgreSQL documentation, "Conflicting Lock Modes" (explicit-locking.html).
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  'ACCESS SHARE': ['ACCESS EXCLUSIVE'],
  'ROW SHARE': ['EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ROW EXCLUSIVE': ['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE UPDATE EXCLUSIVE': [
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  SHARE: [
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  'SHARE ROW EXCLUSIVE': [
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  EXCLUSIVE: [
    'ROW SHARE',
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  'ACCESS EXCLUSIVE': LOCK_MODES,
};

export function modesConflict(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}

/** The stronger of two modes (by PostgreSQL's ordering of table lock modes). */
export function stronger(a: LockMode, b: LockMode): LockMode {
  return lockRank(a) >= lockRank(b) ? a : b;
}

/** pg_locks.mode (`AccessExclusiveLock`) → the SQL name (`ACCESS EXCLUSIVE`). */
export function lockModeOf(pgLocksMode: string): LockMode | undefined {
  const words = pgLocksMode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return (LOCK_MODES as readonly string[]).includes(words) ? (words as LockMode) : undefined;
}

export interface BlockedWork {
  /** SELECT (ACCESS SHARE). */
  reads: boolean;
  /** INSERT, UPDATE, DELETE (ROW EXCLUSIVE). */
  writes: boolean;
  /** SELECT … FOR UPDATE/SHARE (ROW SHARE). */
  rowLocks: boolean;
  /** VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY and most ALTER TABLE forms (SHARE UPDATE EXCLUSIVE and up). */
  ddl: boolean;
  /** In words: "reads and writes", "writes (reads continue)", … */
  text: string;
}

/** What the application cannot do on a relation while another session holds `mode` on it. */
export function blockedWork(mode: LockMode): BlockedWork {
  const c = lockConflicts(mode);
  return {
    reads: c.reads,
    writes: c.writes,
    rowLocks: modesConflict(mode, 'ROW SHARE'),
    ddl: c.schemaChanges,
    text: lockBlocks(mode),
  };
}
