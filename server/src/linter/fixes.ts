/**
 * Building blocks for fixes: text edits, ignore comments, taking a section out of its transaction
 * the way its runner spells it, and follow-up migrations in the folder's own layout.
 */
import { formatById } from '../folder/formats';
import { nextVersion } from '../folder/versions';
import type { Migration, MigrationFolder, Section, SourceFile } from '../folder/model';
import type { Statement } from '../parser/parse';
import { lineBreakOf } from '../text/positions';
import type { Edit, Fix } from './types';

export function insert(file: SourceFile, offset: number, newText: string): Edit {
  return { file: file.path, start: offset, end: offset, newText };
}

export function replace(file: SourceFile, start: number, end: number, newText: string): Edit {
  return { file: file.path, start, end, newText };
}

function indentOf(file: SourceFile, offset: number): string {
  const ls = file.index.lineStart(file.index.lineAt(offset));
  return /^[ \t]*/.exec(file.text.slice(ls, offset))?.[0] ?? '';
}

/** `-- pgmig-ignore <rule>` on its own line above the statement. */
export function disableForLine(file: SourceFile, stmtStart: number, rule: string): Fix {
  const ls = file.index.lineStart(file.index.lineAt(stmtStart));
  const nl = lineBreakOf(file.text);
  return {
    title: `Disable ${rule} for this statement`,
    edits: [insert(file, ls, `${indentOf(file, stmtStart)}-- pgmig-ignore ${rule}${nl}`)],
  };
}

/** `-- pgmig-ignore-file <rule>` at the top of the file. */
export function disableForFile(file: SourceFile, rule: string): Fix {
  const nl = lineBreakOf(file.text);
  return {
    title: `Disable ${rule} for this file`,
    edits: [insert(file, 0, `-- pgmig-ignore-file ${rule}${nl}`)],
  };
}

/**
 * Edits that make a section run outside a transaction, in its runner's own words; undefined when
 * the runner has no such switch, or its switch would still leave the statements in one implicit
 * transaction, and the statement must move to a migration of its own.
 */
export function nonTransactionalEdits(
  migration: Migration,
  section: Section,
): { edits: Edit[]; how: string } | undefined {
  const file = section.file;
  const nl = lineBreakOf(file.text);
  // already without a transaction: what remains is a one-query string, which no switch changes
  if (section.transaction !== 'transaction') return undefined;
  switch (migration.format) {
    case 'goose':
      return {
        edits: [insert(file, 0, `-- +goose NO TRANSACTION${nl}`)],
        how: 'add -- +goose NO TRANSACTION',
      };
    case 'dbmate':
      // dbmate's switch leaves a one-query string: enough only for a statement on its own
      if (!section.marker || section.parsed.statements.length > 1) return undefined;
      return {
        edits: [insert(file, section.marker.end, ' transaction:false')],
        how: `add transaction:false to -- migrate:${section.kind}`,
      };
    case 'plain':
      if (!section.marker) return undefined;
      return {
        edits: [insert(file, section.marker.end, ` ${NO_TX_DIRECTIVE}`)],
        how: `mark the section ${NO_TX_DIRECTIVE}`,
      };
    default:
      return undefined;
  }
}

/** pgmig's own switch for plain `-- UP` / `-- DOWN` files: `-- UP no-transaction`. */
export const NO_TX_DIRECTIVE = 'no-transaction';

export interface NewMigration {
  name: string;
  up: string;
  down?: string;
  transactional: boolean;
}

/**
 * Files of new migrations placed right after `after`, in order, in the folder's own naming
 * convention, as file-creating edits. Undefined without a folder (stdin) or when the format cannot
 * create migrations.
 */
export function followUpMigrations(
  folder: MigrationFolder | undefined,
  after: Migration,
  ms: NewMigration[],
): { edits: Edit[]; labels: string[] } | undefined {
  if (!folder || folder.format === 'unknown') return undefined;
  const handler = formatById(folder.format);
  if (!handler.newMigration) return undefined;
  const edits: Edit[] = [];
  const labels: string[] = [];
  // each new migration is placed after the previous one, so versions stay in order
  let view: MigrationFolder = folder;
  let prev = after;
  for (const m of ms) {
    const version = nextVersion(view, prev);
    const files = handler.newMigration(folder.root, prev, version, m.name, m.up, m.down, {
      transactional: m.transactional,
    });
    if (!files || files.length === 0) return undefined;
    for (const f of files)
      edits.push({ file: f.path, start: 0, end: 0, newText: f.text, createFile: true });
    labels.push(files[0].path.slice(folder.root.length + 1));
    const created: Migration = { ...prev, id: version, version, name: m.name, files: [] };
    created.files = [{ path: files[0].path, text: files[0].text, index: prev.files[0].index }];
    view = { ...view, migrations: [...view.migrations, created] };
    prev = created;
  }
  return { edits, labels };
}

/** One new migration right after `after`; see followUpMigrations. */
export function followUpMigration(
  folder: MigrationFolder | undefined,
  after: Migration,
  m: NewMigration,
): { edits: Edit[]; label: string } | undefined {
  const r = followUpMigrations(folder, after, [m]);
  return r && { edits: r.edits, label: r.labels[0] };
}

/** Removes a statement (with its semicolon and the rest of its line if blank) from its file. */
export function deleteStatement(file: SourceFile, stmt: Statement): Edit {
  let end = stmt.terminatorEnd;
  const lineEnd = file.index.lineEnd(file.index.lineAt(end));
  if (/^[ \t]*$/.test(file.text.slice(end, lineEnd))) {
    end = lineEnd;
    if (file.text[end] === '\r') end++;
    if (file.text[end] === '\n') end++;
  }
  const ls = file.index.lineStart(file.index.lineAt(stmt.start));
  const start = /^[ \t]*$/.test(file.text.slice(ls, stmt.start)) ? ls : stmt.start;
  return replace(file, start, end, '');
}

/** The statement's SQL with its semicolon, as it would stand alone. */
export function statementSql(stmt: Statement): string {
  return stmt.text.endsWith(';') ? stmt.text : `${stmt.text};`;
}

/** A short snake_case name for a follow-up migration. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, 50) || 'followup'
  );
}
