/**
 * prefer-robust-stmts (opt-in): a statement that runs outside a transaction and fails the second
 * time it runs (CREATE without IF NOT EXISTS, DROP without IF EXISTS, ADD/DROP COLUMN or
 * CONSTRAINT without them). When a migration like that fails part way through, what already ran
 * stays, and running it again stops at the first such statement. Inside a transaction a failure
 * rolls everything back, so nothing is flagged there, nor is the last statement of a section (a
 * statement that fails undoes itself). A failed CREATE INDEX CONCURRENTLY leaves an
 * INVALID index: IF NOT EXISTS would then keep the broken index, so the fix drops it first.
 */
import { qualifiedIdent, rangeVarName, relKey } from '../parser/ast';
import { isWord, lightTokens, statementLightTokens, type LightToken } from '../parser/lexer';
import type { Ast, Statement } from '../parser/parse';
import { alterCommandRanges } from '../linter/alterText';
import { insert } from '../linter/fixes';
import { lineBreakOf } from '../text/positions';
import type { Fix, Rule, StatementContext } from '../linter/types';

// DROP <words> [IF EXISTS] name: the words each object kind is spelled with
const DROP_WORDS: Record<string, string[]> = {
  OBJECT_TABLE: ['TABLE'],
  OBJECT_INDEX: ['INDEX'],
  OBJECT_VIEW: ['VIEW'],
  OBJECT_MATVIEW: ['MATERIALIZED', 'VIEW'],
  OBJECT_FOREIGN_TABLE: ['FOREIGN', 'TABLE'],
  OBJECT_SEQUENCE: ['SEQUENCE'],
  OBJECT_TYPE: ['TYPE'],
  OBJECT_DOMAIN: ['DOMAIN'],
  OBJECT_SCHEMA: ['SCHEMA'],
  OBJECT_EXTENSION: ['EXTENSION'],
  OBJECT_FUNCTION: ['FUNCTION'],
  OBJECT_PROCEDURE: ['PROCEDURE'],
  OBJECT_TRIGGER: ['TRIGGER'],
  OBJECT_POLICY: ['POLICY'],
};

const IF_NOT_EXISTS_KEYWORD: Record<string, string> = {
  CreateStmt: 'TABLE',
  CreateSeqStmt: 'SEQUENCE',
  CreateSchemaStmt: 'SCHEMA',
  CreateExtensionStmt: 'EXTENSION',
};

const RERUN =
  'this runs outside a transaction, so if the migration fails after it, running the migration again fails here';

export const rule: Rule = {
  id: 'prefer-robust-stmts',
  summary:
    'Outside a transaction, a statement that fails when run twice makes a failed migration hard to rerun.',
  defaultSeverity: 'warning',
  optIn: true,
  check(ctx) {
    const { stmt } = ctx;
    const a = stmt.ast;
    if (stmt.kind === 'IndexStmt' && a.concurrent) return concurrentIndex(ctx, this.id);
    // a failing statement undoes itself: only what runs after it can fail and strand it
    if (ctx.tx.inTransaction || ctx.following.length === 0) return;
    const word = IF_NOT_EXISTS_KEYWORD[stmt.kind];
    if (word) {
      if (a.if_not_exists) return;
      if (stmt.kind === 'CreateStmt' && a.relation?.relpersistence === 't') return;
      return report(
        ctx,
        this.id,
        stmt,
        'IF NOT EXISTS',
        afterWords(ctx, [word], 0),
        ' IF NOT EXISTS',
      );
    }
    switch (stmt.kind) {
      case 'IndexStmt':
        if (a.if_not_exists || !a.idxname) return;
        return report(
          ctx,
          this.id,
          stmt,
          'IF NOT EXISTS',
          afterWords(ctx, ['INDEX'], 0),
          ' IF NOT EXISTS',
        );
      case 'DropStmt': {
        const words = DROP_WORDS[a.removeType as string];
        if (a.missing_ok || !words) return;
        const at = afterWords(
          ctx,
          ['DROP', ...words, ...(a.concurrent ? ['CONCURRENTLY'] : [])],
          -1,
        );
        return report(ctx, this.id, stmt, 'IF EXISTS', at, ' IF EXISTS');
      }
      case 'ViewStmt':
      case 'CreateFunctionStmt':
      case 'CreateTrigStmt':
        if (a.replace) return;
        // OR REPLACE: triggers since PostgreSQL 14, never constraint triggers
        if (stmt.kind === 'CreateTrigStmt' && (ctx.pgVersion < 14 || a.isconstraint)) return;
        return report(
          ctx,
          this.id,
          stmt,
          'OR REPLACE',
          afterWords(ctx, ['CREATE'], -1),
          ' OR REPLACE',
        );
      case 'AlterTableStmt':
        return alterTable(ctx, this.id);
      default:
        return;
    }
  },
};

function report(
  ctx: StatementContext,
  rule: string,
  stmt: Statement,
  missing: string,
  at: number | undefined,
  text: string,
  range: { start: number; end: number } = stmt,
): void {
  const fixes: Fix[] = [];
  if (at !== undefined)
    fixes.push({ title: `Add ${missing}`, preferred: true, edits: [insert(ctx.file, at, text)] });
  fixes.push(ctx.disableForLine(stmt.start, rule));
  ctx.report(rule, {
    start: range.start,
    end: range.end,
    message: `Missing ${missing}: ${RERUN}.`,
    help: `Add ${missing}, or let the runner wrap the migration in a transaction.`,
    fixes,
  });
}

/**
 * The offset right after the statement's tokens spell `words`: from its start (`first` -1), or
 * from the first occurrence of words[0] (`first` 0, for keywords after modifiers like UNIQUE).
 */
function afterWords(ctx: StatementContext, words: string[], first: number): number | undefined {
  const tokens = statementLightTokens(ctx.file.text, ctx.stmt);
  let i = first < 0 ? 0 : tokens.findIndex((t) => isWord(t, words[0]));
  if (i < 0) return undefined;
  for (const w of words) {
    if (!tokens[i] || !isWord(tokens[i], w)) return undefined;
    i++;
  }
  // CREATE UNIQUE INDEX CONCURRENTLY: IF NOT EXISTS goes after CONCURRENTLY
  if (words[0] === 'INDEX' && tokens[i] && isWord(tokens[i], 'CONCURRENTLY')) i++;
  return tokens[i - 1].end;
}

/** Subcommands with a guard of their own: the clause, and the words it follows. */
const MISSING_OK: Record<string, [string, string, string]> = {
  AT_AddColumn: ['IF NOT EXISTS', 'ADD', 'COLUMN'],
  AT_DropColumn: ['IF EXISTS', 'DROP', 'COLUMN'],
  AT_DropConstraint: ['IF EXISTS', 'DROP', 'CONSTRAINT'],
};

function alterTable(ctx: StatementContext, rule: string): void {
  const { stmt } = ctx;
  const ranges = alterCommandRanges(ctx.file, stmt);
  (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
    const cmd = c.AlterTableCmd;
    const range = ranges?.[i] ?? stmt;
    const tokens = ranges ? lightTokens(ctx.file.text, range.start, range.end) : [];
    const guarded = MISSING_OK[cmd?.subtype as string];
    if (guarded) {
      if (cmd.missing_ok) return;
      const [clause, first, second] = guarded;
      return report(ctx, rule, stmt, clause, after(tokens, first, second), ` ${clause}`, range);
    }
    if (cmd?.subtype === 'AT_AddConstraint') addConstraint(ctx, rule, cmd.def?.Constraint, range);
  });
}

/** After `first` and an optional `second` word at the start of a subcommand. */
function after(tokens: LightToken[], first: string, second: string): number | undefined {
  if (!tokens[0] || !isWord(tokens[0], first)) return undefined;
  if (second === 'CONSTRAINT' && !(tokens[1] && isWord(tokens[1], second))) return undefined;
  return tokens[1] && isWord(tokens[1], second) ? tokens[1].end : tokens[0].end;
}

/**
 * ADD CONSTRAINT has no IF NOT EXISTS: robust when an earlier statement of the section drops it
 * IF EXISTS; the fix (not preferred) adds that statement.
 */
function addConstraint(
  ctx: StatementContext,
  rule: string,
  con: Ast,
  range: { start: number; end: number },
): void {
  const { stmt } = ctx;
  const name: string | undefined = con?.conname;
  if (!name) return;
  const key = relKey(rangeVarName(stmt.ast.relation));
  const droppedBefore = ctx.previous.some(
    (s) =>
      s.kind === 'AlterTableStmt' &&
      relKey(rangeVarName(s.ast.relation)) === key &&
      (s.ast.cmds ?? []).some(
        (c: Ast) =>
          c.AlterTableCmd?.subtype === 'AT_DropConstraint' &&
          c.AlterTableCmd.missing_ok &&
          c.AlterTableCmd.name === name,
      ),
  );
  if (droppedBefore) return;
  const nl = lineBreakOf(ctx.file.text);
  const table = qualifiedIdent(rangeVarName(stmt.ast.relation));
  ctx.report(rule, {
    start: range.start,
    end: range.end,
    message: `ADD CONSTRAINT ${name} has no IF NOT EXISTS: ${RERUN}.`,
    help: `Drop it first in the same migration: ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${qualifiedIdent({ name })};`,
    fixes: [
      {
        title: `Drop ${name} IF EXISTS first`,
        edits: [
          insert(
            ctx.file,
            lineStart(ctx, stmt.start),
            `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${qualifiedIdent({ name })};${nl}`,
          ),
        ],
      },
      ctx.disableForLine(stmt.start, rule),
    ],
  });
}

/**
 * CREATE INDEX CONCURRENTLY that fails leaves an INVALID index with its name: running it again
 * fails, and with IF NOT EXISTS it silently keeps the broken index. Robust: drop it first. Not
 * judged where the runner sends the file as one query string (golang-migrate, Prisma): the index
 * must be alone there, so nothing can run before it on a retry.
 */
function concurrentIndex(ctx: StatementContext, rule: string): void {
  const { stmt } = ctx;
  const a = stmt.ast;
  if (ctx.tx.inTransaction) return; // that fails anyway: ban-concurrent-index-creation-in-transaction
  // alone in a file sent as one query string, nothing can run before it on a retry
  if (!a.idxname || ctx.section.transaction === 'single-query') return;
  const schema = rangeVarName(a.relation).schema;
  const name = qualifiedIdent({ schema, name: a.idxname });
  const key = relKey({ schema, name: a.idxname });
  const droppedBefore = ctx.previous.some(
    (s) =>
      s.kind === 'DropStmt' &&
      s.ast.removeType === 'OBJECT_INDEX' &&
      s.ast.missing_ok &&
      (s.ast.objects ?? []).some((o: Ast) => {
        const items = (o.List?.items ?? []).map((x: Ast) => x.String?.sval);
        return (
          relKey(items.length > 1 ? { schema: items[0], name: items[1] } : { name: items[0] }) ===
          key
        );
      }),
  );
  if (droppedBefore) return;
  const nl = lineBreakOf(ctx.file.text);
  const fixes: Fix[] = [];
  fixes.push({
    title: `Drop an invalid ${a.idxname} left by a failed run first`,
    preferred: true,
    edits: [
      insert(
        ctx.file,
        lineStart(ctx, stmt.start),
        `DROP INDEX CONCURRENTLY IF EXISTS ${name};${nl}`,
      ),
    ],
  });
  fixes.push(ctx.disableForLine(stmt.start, rule));
  ctx.report(rule, {
    start: stmt.start,
    end: stmt.end,
    message: `If this CREATE INDEX CONCURRENTLY fails, it leaves an INVALID index ${a.idxname} behind: running the migration again then fails (and with IF NOT EXISTS it would keep the broken index).`,
    help: `Put DROP INDEX CONCURRENTLY IF EXISTS ${name}; before it.`,
    fixes,
  });
}

/** Start of the statement's line when only blanks precede it there, else the statement. */
function lineStart(ctx: StatementContext, at: number): number {
  const { index, text } = ctx.file;
  const ls = index.lineStart(index.lineAt(at));
  return /^[ \t]*$/.test(text.slice(ls, at)) ? ls : at;
}
