/**
 * Fixes that end a transaction early: the statements from one point of an UP section to its end
 * move, in order and with the comments between them, into new migrations right after this one,
 * which the runner runs in transactions of their own. Session settings the section set before
 * that point (SET lock_timeout …) are repeated at the top of the moved part.
 */
import { deleteStatement, followUpMigrations, slug, type NewMigration } from './fixes';
import type { Section, SourceFile } from '../folder/model';
import type { Edit, StatementContext } from './types';

export interface SectionTail {
  /** Removes the statements from `from` to the end of the section. */
  removal: Edit;
  /** Their SQL, with the comments between them. */
  moved: string;
  /** The SQL of the statements after `from` (the statement itself left out), if any. */
  rest: string | undefined;
  /** SET statements that ran before `from`, to repeat in a migration that takes the tail. */
  settings: string[];
}

/**
 * The part of the current UP section from statement `from` on, if it can move: no explicit
 * BEGIN/COMMIT (they would end up unbalanced) and no runner annotations inside it.
 */
export function sectionTail(ctx: StatementContext, from: number): SectionTail | undefined {
  const { section, file } = ctx;
  if (section.kind !== 'up') return undefined;
  const statements = section.parsed.statements;
  if (from < 0 || from >= statements.length) return undefined;
  if (statements.some((s) => s.kind === 'TransactionStmt')) return undefined;
  const first = statements[from];
  const last = statements[statements.length - 1];
  const prevEnd = from > 0 ? statements[from - 1].terminatorEnd : section.start;
  const removal = deleteStatement(file, { ...first, terminatorEnd: last.terminatorEnd });
  removal.start = withLeadingComments(file, removal.start, prevEnd);
  if (annotatedBetween(section, file.text, prevEnd, removal.end)) return undefined;
  const moved = withSemicolon({ text: file.text.slice(removal.start, removal.end).trim() });
  let rest: string | undefined;
  if (from + 1 < statements.length) {
    const next = statements[from + 1];
    const start = withLeadingComments(
      file,
      deleteStatement(file, { ...next, terminatorEnd: last.terminatorEnd }).start,
      first.terminatorEnd,
    );
    rest = withSemicolon({ text: file.text.slice(start, removal.end).trim() });
  }
  const settings = statements
    .slice(0, from)
    .filter((s) => s.kind === 'VariableSetStmt')
    .map(withSemicolon);
  return { removal, moved, rest, settings };
}

// where runner annotations are in a section, found once per section: asking with a slice of the
// rest of a long section on every statement that offers a split would read it again each time
const annotations = new WeakMap<Section, { text: string; at: [number, number][] }>();

/** Whether a runner annotation (`+goose`, `+migrate`, `migrate:`) lies within `[from, to)`. */
function annotatedBetween(section: Section, text: string, from: number, to: number): boolean {
  let known = annotations.get(section);
  if (!known || known.text !== text) {
    const at: [number, number][] = [];
    const re = /\+goose|\+migrate|migrate:/gi;
    re.lastIndex = section.start;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      at.push([m.index, m.index + m[0].length]);
      // every start, overlapping ones included, as a test on any slice would find them
      re.lastIndex = m.index + 1;
    }
    annotations.set(section, (known = { text, at }));
  }
  return known.at.some(([s, e]) => s >= from && e <= to);
}

/** Extends `start` (a line start) over the comment lines right above it, not past `limit`. */
function withLeadingComments(file: SourceFile, start: number, limit: number): number {
  let at = start;
  for (;;) {
    const line = file.index.lineAt(at);
    if (line === 0) return at;
    const ls = file.index.lineStart(line - 1);
    if (ls < limit || !/^[ \t]*--/.test(file.text.slice(ls, at))) return at;
    at = ls;
  }
}

function withSemicolon(s: { text: string }): string {
  return s.text.endsWith(';') ? s.text : `${s.text};`;
}

export interface Split {
  edits: Edit[];
  label: string;
}

/** Moves statement `from` and everything after it into one new transactional migration. */
export function splitSectionAt(
  ctx: StatementContext,
  from: number,
  suffix: string,
): Split | undefined {
  if (from <= 0) return undefined;
  const tail = sectionTail(ctx, from);
  if (!tail) return undefined;
  const up = [...tail.settings, tail.moved].join('\n');
  return moveTail(ctx, tail, [
    { name: slug(`${ctx.migration.name}_${suffix}`), up, transactional: true },
  ]);
}

/** The removal of the tail plus the files of the migrations that take its place. */
export function moveTail(
  ctx: StatementContext,
  tail: SectionTail,
  ms: NewMigration[],
): Split | undefined {
  const created = followUpMigrations(ctx.folder, ctx.migration, ms);
  if (!created) return undefined;
  return { edits: [tail.removal, ...created.edits], label: created.labels.join(', ') };
}
