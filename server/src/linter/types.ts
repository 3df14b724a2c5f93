/**
 * The linter's data model: rules, the context they see, and the violations with fixes they report.
 * Everything here is plain data so that fixes can travel on a diagnostic and be applied later
 * without asking the linter again.
 */
import type { MigrationFolder, Migration, Section, SourceFile } from '../folder/model';
import type { Statement } from '../parser/parse';
import type { Catalog } from '../schema/catalog';
import type { Settings } from '../config/settings';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * A replacement of `[start, end)` (UTF-16 offsets) in `file`. With `createFile`, the file does not
 * exist yet and `newText` is its whole content.
 */
export interface Edit {
  file: string;
  start: number;
  end: number;
  newText: string;
  createFile?: boolean;
}

export interface Fix {
  title: string;
  /** The fix an editor applies on "fix all" and offers first. */
  preferred?: boolean;
  edits: Edit[];
}

export interface RelatedInfo {
  file: string;
  start: number;
  end: number;
  message: string;
}

export interface Violation {
  rule: string;
  severity: Severity;
  file: string;
  start: number;
  end: number;
  message: string;
  help?: string;
  fixes: Fix[];
  related?: RelatedInfo[];
}

/** What a rule reports; the engine adds rule id, severity and file. */
export interface Report {
  start: number;
  end: number;
  message: string;
  help?: string;
  fixes?: Fix[];
  related?: RelatedInfo[];
  /** File of the range, when not the statement's own file. */
  file?: string;
}

/** Transaction state right before a statement runs. */
export interface TxState {
  inTransaction: boolean;
  /** Whether a BEGIN in the section opened it (as opposed to the runner). */
  explicit: boolean;
  /** Human-readable cause, for messages. */
  reason: string;
}

/** Session settings the migration has set before a statement. */
export interface SessionState {
  lockTimeout: 'unset' | 'set' | 'disabled';
  statementTimeout: 'unset' | 'set' | 'disabled';
}

export interface MigrationContext {
  migration: Migration;
  folder?: MigrationFolder;
  settings: Settings;
  pgVersion: number;
  /** `file`: where the finding is when `r` names no file (a section's own file). */
  report(rule: string, r: Report, file?: string): void;
  /**
   * The schema model before the migration's UP, kept when the migration has no DOWN although its
   * format could (missing-down generates one from it).
   */
  catalogBeforeUp?: Catalog;
}

export interface SectionContext extends MigrationContext {
  section: Section;
  file: SourceFile;
  /** Catalog as it stands when the section starts. */
  catalogAtStart: Catalog;
}

export interface StatementContext extends SectionContext {
  stmt: Statement;
  /** Index of the statement within the section. */
  position: number;
  /** Catalog right before this statement. */
  catalog: Catalog;
  tx: TxState;
  session: SessionState;
  /**
   * Whether the table (schema.name key) was created earlier in this migration (for a DOWN
   * section: by its UP), so it is empty and unseen by running code.
   */
  isNewTable(tableKey: string): boolean;
  /** Whether the column was added earlier in this migration (or by the UP of this DOWN). */
  isNewColumn(tableKey: string, column: string): boolean;
  /** Statements of this section before this one. */
  previous: Statement[];
  /** Statements of this section after this one. */
  following: Statement[];
  /**
   * The fix that adds an ignore comment for `rule` above the line of `offset`: disableForLine on
   * the section's file. At the statement's own start it counts as looking at the statement only
   * (the language server keeps such findings across edits elsewhere).
   */
  disableForLine(offset: number, rule: string): Fix;
  /** The kind of the section (constant for it: looking at it is not looking at the section). */
  sectionKind: Section['kind'];
  /** Path of the section's file, for fixes in the statement. */
  path: string;
  /**
   * Whether a later statement of the section that can concern the table (an index on it, an
   * ALTER of it, a foreign key to it) passes `test`: what the statements after this one do to a
   * table, kept track of so that the finding still counts as looking at this statement only.
   */
  usedLater(tableKey: string, test: (s: Statement) => boolean): boolean;
}

export interface Rule {
  id: string;
  /** One sentence: what the rule catches. */
  summary: string;
  defaultSeverity: Severity;
  /** Opt-in rules are off unless configured. */
  optIn?: boolean;
  /**
   * Its findings grow with the table (a lock held while rewriting, scanning or waiting): with
   * real table sizes from a connected database, they say how big and how long.
   */
  weighedBySize?: boolean;
  check?(ctx: StatementContext): void;
  checkSection?(ctx: SectionContext): void;
  checkMigration?(ctx: MigrationContext): void;
}
