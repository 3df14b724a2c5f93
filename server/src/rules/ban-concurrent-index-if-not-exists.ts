/**
 * ban-concurrent-index-if-not-exists: a CREATE INDEX CONCURRENTLY that fails (a deadlock, a
 * duplicate for a unique index, a statement_timeout, a cancelled deploy) leaves an INVALID index
 * behind: it is maintained on every write but never used for reads. On the retry, IF NOT EXISTS
 * sees the name taken and silently skips the build, so the migration "succeeds" with a broken
 * index. Drop a leftover first with DROP INDEX CONCURRENTLY IF EXISTS, then build without IF NOT
 * EXISTS. Where the runner sends the file as one query string, a second statement would put both
 * in a transaction block (and CONCURRENTLY fails there): the fix then only removes IF NOT EXISTS,
 * so a leftover makes the retry fail loudly instead.
 */
import { qualifiedIdent, rangeVarName } from '../parser/ast';
import { statementTokens } from '../parser/parse';
import { insert, replace } from '../linter/fixes';
import { lineBreakOf } from '../text/positions';
import { insertionLineBefore } from '../linter/statementBlock';
import { sendsStatementsSeparately } from '../linter/followUpModes';
import type { Edit, Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'ban-concurrent-index-if-not-exists',
  summary:
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS skips an INVALID index left by a failed build instead of rebuilding it.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'IndexStmt' || !stmt.ast.concurrent || !stmt.ast.if_not_exists) return;
    const name: string | undefined = stmt.ast.idxname;
    if (!name) return;
    const index = qualifiedIdent({ schema: rangeVarName(stmt.ast.relation).schema, name });
    const fix = dropFirstFix(ctx, index);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `If a previous attempt of this concurrent build failed, it left ${name} behind INVALID (written on every change, never used by queries), and IF NOT EXISTS then skips the build: the migration succeeds with a broken index.`,
      help: `Run DROP INDEX CONCURRENTLY IF EXISTS ${index}; right before it and drop IF NOT EXISTS, so a retry rebuilds the index.`,
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

function dropFirstFix(ctx: StatementContext, index: string): Fix | undefined {
  const { stmt, file, section } = ctx;
  const tokens = statementTokens(file.index, stmt);
  const at = tokens.findIndex(
    (t, i) =>
      t.keyword === 'IF' && tokens[i + 1]?.keyword === 'NOT' && tokens[i + 2]?.keyword === 'EXISTS',
  );
  if (at < 0) return undefined;
  // remove "IF NOT EXISTS" and the space before it
  const removeFrom = tokens[at - 1] ? tokens[at - 1].end : tokens[at].start;
  const removal = replace(file, removeFrom, tokens[at + 2].end, '');
  const alone = section.parsed.statements.length === 1;
  const oneQueryString =
    !sendsStatementsSeparately(ctx.migration.format, section) ||
    (section.transaction === 'auto' && alone);
  if (oneQueryString || ctx.tx.inTransaction)
    return { title: 'Remove IF NOT EXISTS', preferred: true, edits: [removal] };
  const nl = lineBreakOf(file.text);
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${index};`;
  // its own line, outside a goose StatementBegin block around the index (one query string)
  const line = insertionLineBefore(file, stmt);
  const indent =
    line === file.index.lineStart(file.index.lineAt(stmt.start)) && line !== undefined
      ? file.text.slice(line, stmt.start)
      : '';
  const edits: Edit[] = [
    line === undefined
      ? insert(file, stmt.start, `${drop} `)
      : insert(file, line, `${indent}${drop}${nl}`),
    removal,
  ];
  return {
    title:
      'Drop a leftover INVALID index first (DROP INDEX CONCURRENTLY IF EXISTS) and remove IF NOT EXISTS',
    preferred: true,
    edits,
  };
}
