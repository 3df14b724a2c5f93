/**
 * require-concurrent-reindex: REINDEX without CONCURRENTLY takes a SHARE lock on the table and an
 * ACCESS EXCLUSIVE lock on each index it rebuilds, so writes wait, and so do nearly all reads (the
 * planner locks every index of a table it plans a query for), until the rebuild finishes. REINDEX … CONCURRENTLY (PostgreSQL 12+) avoids that; REINDEX
 * SYSTEM has no concurrent form. Tables and indexes created in the same migration are exempt.
 */
import { qualifiedIdent, rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { concurrentlyFix } from '../linter/concurrently';
import type { Fix, Rule, StatementContext } from '../linter/types';

const KEYWORD: Record<string, string> = {
  REINDEX_OBJECT_TABLE: 'TABLE',
  REINDEX_OBJECT_INDEX: 'INDEX',
  REINDEX_OBJECT_SCHEMA: 'SCHEMA',
  REINDEX_OBJECT_DATABASE: 'DATABASE',
  REINDEX_OBJECT_SYSTEM: 'SYSTEM',
};

export const rule: Rule = {
  id: 'require-concurrent-reindex',
  summary:
    'REINDEX without CONCURRENTLY blocks writes, and nearly all reads, of the table until it finishes.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'ReindexStmt') return;
    const a = stmt.ast;
    if ((a.params ?? []).some((p: Ast) => p.DefElem?.defname === 'concurrently')) return;
    const keyword = KEYWORD[a.kind as string];
    if (!keyword || isExempt(ctx, a)) return;

    const fixes: Fix[] = [];
    let message = describe(ctx, a, keyword);
    let help: string;
    if (keyword === 'SYSTEM') {
      help =
        'REINDEX SYSTEM cannot run CONCURRENTLY: run it in a maintenance window, or reindex the affected user tables with REINDEX TABLE … CONCURRENTLY instead.';
    } else if (ctx.pgVersion < 12) {
      message += ` REINDEX … CONCURRENTLY needs PostgreSQL 12 or later (target is ${ctx.pgVersion}).`;
      help =
        'Before PostgreSQL 12, rebuild the index without blocking by CREATE INDEX CONCURRENTLY of a copy, then DROP INDEX CONCURRENTLY of the old one and rename the copy.';
    } else {
      help = `Use REINDEX ${keyword} CONCURRENTLY, outside a transaction. If it fails it can leave an invalid *_ccnew index behind: drop it before retrying.`;
      const fix = concurrentlyFix(ctx, [keyword], undefined);
      if (fix) fixes.push(fix);
    }
    fixes.push(ctx.disableForLine(stmt.start, this.id));
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message,
      help,
      fixes,
    });
  },
};

function indexTable(ctx: StatementContext, indexKey: string): string | undefined {
  const i = ctx.catalog.indexes.get(indexKey);
  return i && `${i.schema}.${i.table}`;
}

function isExempt(ctx: StatementContext, a: Ast): boolean {
  if (!a.relation) return false;
  const key = relKey(rangeVarName(a.relation));
  if (a.kind === 'REINDEX_OBJECT_TABLE') return ctx.isNewTable(key);
  if (a.kind !== 'REINDEX_OBJECT_INDEX') return false;
  const index = ctx.catalog.indexes.get(key);
  const table = indexTable(ctx, key);
  return !!index && (index.createdIn === ctx.migration.id || (!!table && ctx.isNewTable(table)));
}

function describe(ctx: StatementContext, a: Ast, keyword: string): string {
  const blocked =
    'writes wait, and so do nearly all reads (the planner locks every index of a table it plans a query for), until it finishes.';
  switch (keyword) {
    case 'TABLE': {
      const t = qualifiedIdent(rangeVarName(a.relation));
      return `REINDEX TABLE ${t} without CONCURRENTLY takes a SHARE lock on ${t} and an ACCESS EXCLUSIVE lock on each of its indexes: ${blocked}`;
    }
    case 'INDEX': {
      const i = rangeVarName(a.relation);
      const table = ctx.catalog.indexes.get(relKey(i))?.table ?? 'its table';
      return `REINDEX INDEX ${qualifiedIdent(i)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index and a SHARE lock on ${table}: ${blocked}`;
    }
    case 'SCHEMA':
      return `REINDEX SCHEMA ${a.name ?? ''} without CONCURRENTLY takes, table by table, a SHARE lock on the table and an ACCESS EXCLUSIVE lock on its indexes: ${blocked}`;
    case 'DATABASE':
      return `REINDEX DATABASE without CONCURRENTLY takes, table by table, a SHARE lock on the table and an ACCESS EXCLUSIVE lock on its indexes: ${blocked}`;
    default:
      return 'REINDEX SYSTEM rebuilds the system catalog indexes with exclusive locks: every session that needs the catalogs waits until it finishes.';
  }
}
