/**
 * What a lock trace reports: for each statement of a migration section, measured on a scratch
 * database, the locks its own backend held, the relations it rewrote and scanned, how long it took,
 * and how that compares with the linter's static verdict. Plain data: the CLI prints it, the
 * language server turns it into hovers and a report.
 */
import type { LockMode } from '../linter/statementFacts';
import type { Range } from '../text/positions';
import type { BlockedWork } from './lockMatrix';

export type RelationKind =
  | 'table'
  | 'partitioned table'
  | 'index'
  | 'partitioned index'
  | 'sequence'
  | 'view'
  | 'materialized view'
  | 'foreign table'
  | 'composite type'
  | 'other';

export interface MeasuredLock {
  /** `schema.name`. */
  relation: string;
  kind: RelationKind;
  /** For an index: the `schema.name` of its table. */
  table?: string;
  mode: LockMode;
  /** False when the statement was still waiting for it (seen only outside a transaction). */
  granted: boolean;
  /** Taken (or strengthened) by this statement, not held from an earlier one. */
  taken: boolean;
  /** The relation existed before the section: other sessions can be waiting for it. */
  existing: boolean;
  blocks: BlockedWork;
}

export interface ScannedRelation {
  relation: string;
  /** Sequential scans started by the statement (pg_stat_xact_user_tables.seq_scan delta). */
  seqScans: number;
}

/** Where the statement ran, the way the runner would run it. */
export type TraceTransaction =
  /** Inside the section's transaction (BEGIN … rolled back at the end of the trace). */
  | 'section'
  /** Alone in a transaction of its own (sections the runner runs statement by statement). */
  | 'own'
  /** Outside any transaction block (CONCURRENTLY, VACUUM): observed from a second session. */
  | 'outside';

export type StatementStatus =
  | 'traced'
  /** It failed: the error is PostgreSQL's. */
  | 'failed'
  /** Run, but its locks could not be observed (the reason says why). */
  | 'not-traced'
  /** Not run (an earlier statement failed, or it is transaction control). */
  | 'skipped';

export interface DisagreementRecord {
  relation: string;
  /** What the linter's statementFacts.tableLocks predicts (undefined: no lock). */
  predicted?: LockMode;
  measured?: LockMode;
  /** One sentence for people. */
  message: string;
}

export interface StatementTrace {
  /** Position of the statement in its section. */
  index: number;
  file: string;
  /** UTF-16 offsets in the file. */
  start: number;
  end: number;
  range: Range;
  /** The statement's text, shortened for display. */
  text: string;
  /** Parser node name (`AlterTableStmt`), or '' for text the parser rejected. */
  kind: string;
  status: StatementStatus;
  /** Why it was not traced or was skipped. */
  reason?: string;
  error?: { message: string; code?: string; hint?: string; detail?: string };
  transaction: TraceTransaction;
  durationMs?: number;
  /** Relation locks the backend held after the statement, strongest per relation (also those from earlier statements of its transaction: see `taken`). */
  locks: MeasuredLock[];
  /** Tables (and materialized views, sequences) whose storage was replaced: relfilenode changed. */
  rewritten: string[];
  /** Indexes whose storage was replaced (rebuilt). */
  rebuiltIndexes: string[];
  scanned: ScannedRelation[];
  created: string[];
  dropped: string[];
  /** The linter's static verdict: tables and modes from statementFacts.tableLocks. */
  predicted: Array<{ relation: string; mode: LockMode }>;
  disagreements: DisagreementRecord[];
  /** One line: "ACCESS EXCLUSIVE on users — blocks reads and writes; table rewritten". */
  summary: string;
  /** With a real database: its tables' sizes weighed against this statement's locks. */
  weights?: string[];
  /** Markdown for an editor hover. */
  hover: string;
}

export interface SectionTrace {
  kind: 'up' | 'down';
  file: string;
  /** How the runner runs it, and so how it was traced. */
  transaction: string;
  /**
   * What the trace left on the scratch database: `none` (rolled back), `all` (statements the
   * runner runs one by one were committed), `partly` (a failure or explicit COMMIT in between).
   */
  applied: 'none' | 'all' | 'partly';
  statements: StatementTrace[];
}

export interface ServerDescription {
  /** `server_version` ("15.20", "18.6"). */
  version: string;
  /** `server_version_num`. */
  versionNum: number;
  /** The embedded PGlite (in memory) rather than a real server. */
  embedded: boolean;
  /** Where the scratch database lives (never with a password). */
  label: string;
}

export interface TraceResult {
  server: ServerDescription;
  migration: { id: string; version: string; name: string; label: string };
  /** Migrations applied before the traced one. */
  replayed: number;
  replayMs: number;
  sections: SectionTrace[];
  /** General remarks (untraceable statements, committed work on the scratch database). */
  notes: string[];
  /** True when every statement ran (none failed). */
  ok: boolean;
  /** With a real database: sizes of the locked tables and open transactions on them. */
  live?: LiveReport;
}

export interface LiveReport {
  /** The database the sizes and activity come from (never with a password). */
  database: string;
  sizes: Array<{ table: string; estimatedRows?: number; totalBytes: number; text: string }>;
  /** Warnings about open transactions the migration's locks would queue behind. */
  warnings: string[];
  openTransactions: Array<{
    pid: number;
    application?: string;
    state?: string;
    transactionSeconds: number;
    query?: string;
    locks: Array<{ table: string; mode: LockMode }>;
  }>;
}
