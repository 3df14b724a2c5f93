/**
 * The model of a migration folder: which runner's layout it has, its migrations in the order that
 * runner applies them, and for each migration its sections with statements and the transaction
 * mode the runner really uses.
 */
import type { ParseResult } from '../parser/parse';
import type { TextIndex } from '../text/positions';

export const FORMAT_IDS = [
  'plain',
  'goose',
  'dbmate',
  'golang-migrate',
  'diesel',
  'flyway',
  'prisma',
  'drizzle',
  'node-pg-migrate',
  'popx',
  'sqitch',
  'unknown',
] as const;

export type FormatId = (typeof FORMAT_IDS)[number];

/**
 * How a runner executes a section.
 * - `transaction`: inside BEGIN … COMMIT that the runner issues.
 * - `none`: statement by statement in autocommit (goose NO TRANSACTION, dbmate transaction:false,
 *   popx .autocommit, scripts that manage their own transactions).
 * - `single-query`: the whole section is sent as one query string (golang-migrate, Prisma, and
 *   the non-transactional sections of dbmate, diesel and popx), so
 *   PostgreSQL runs several statements in one implicit transaction and a lone statement in none.
 * - `auto`: a transaction unless the runner detects statements that cannot run in one, which must
 *   then be alone (Flyway with `mixed=false`).
 */
export type TransactionMode = 'transaction' | 'none' | 'single-query' | 'auto';

export type SectionKind = 'up' | 'down';

export interface SourceFile {
  /** Absolute path, or a pseudo path such as `<stdin>`. */
  path: string;
  text: string;
  index: TextIndex;
}

export interface Section {
  kind: SectionKind;
  file: SourceFile;
  /** UTF-16 range of the section's SQL in the file (after its marker line). */
  start: number;
  end: number;
  transaction: TransactionMode;
  /** Where the transaction mode comes from, for messages ("-- +goose NO TRANSACTION"). */
  transactionSource: string;
  /** The marker line that opens the section, when the format has one. */
  marker?: { start: number; end: number; text: string };
  parsed: ParseResult;
}

export interface Migration {
  /** Stable id: the version when the format has one, else the file's relative path. */
  id: string;
  version: string;
  name: string;
  format: FormatId;
  /** Files the migration comes from (up file first). */
  files: SourceFile[];
  sections: Section[];
  /** Whether this format keeps DOWN migrations at all (for missing-down). */
  formatHasDown: boolean;
  /** How a DOWN would be written for this migration, for fixes that create one. */
  downTarget?: { kind: 'same-file' } | { kind: 'file'; path: string };
  /** Relative path used in messages. */
  label: string;
}

export interface MigrationFolder {
  root: string;
  format: FormatId;
  /** Why the format was chosen (marker seen, file names, config). */
  detectedBy: string;
  /** True when no known layout matched and each file became one up section. */
  unknownLayout: boolean;
  migrations: Migration[];
  /** Files that belong to the folder but are not migrations (verify scripts, notes). */
  ignoredFiles: string[];
}

export function upSections(m: Migration): Section[] {
  return m.sections.filter((s) => s.kind === 'up');
}

export function downSections(m: Migration): Section[] {
  return m.sections.filter((s) => s.kind === 'down');
}
