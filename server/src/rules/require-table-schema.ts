/**
 * require-table-schema (opt-in): a table named without its schema resolves through search_path,
 * which a role, a database or the tool running the migration may set differently from the
 * author's session: the migration then creates or changes a table in another schema. Temporary
 * tables are exempt (they live in pg_temp whatever the name says).
 */
import { quoteIdent } from '../parser/ast';
import { lightTokens } from '../parser/lexer';
import type { Ast, Statement } from '../parser/parse';
import { disableForLine } from '../linter/fixes';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-table-schema',
  summary: 'A table named without its schema depends on the search_path the migration runs with.',
  defaultSeverity: 'warning',
  optIn: true,
  check(ctx) {
    const { stmt } = ctx;
    const a = stmt.ast;
    let rel: Ast | undefined;
    if (stmt.kind === 'CreateStmt') rel = a.relation;
    else if (stmt.kind === 'CreateTableAsStmt' && a.objtype === 'OBJECT_TABLE') rel = a.into?.rel;
    else if (stmt.kind === 'AlterTableStmt' && (a.objtype ?? 'OBJECT_TABLE') === 'OBJECT_TABLE')
      rel = a.relation;
    if (rel) {
      if (rel.schemaname || rel.relpersistence === 't') return;
      reportName(ctx, this.id, rel);
      return;
    }
    if (stmt.kind === 'DropStmt' && a.removeType === 'OBJECT_TABLE') {
      const bare = (a.objects ?? [])
        .map((o: Ast) => o.List?.items ?? [])
        .filter((items: Ast[]) => items.length === 1)
        .map((items: Ast[]) => items[0].String?.sval as string);
      if (bare.length === 0) return;
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: `${bare.join(', ')} ${bare.length > 1 ? 'are' : 'is'} not schema-qualified: the table dropped depends on the search_path the migration runs with.`,
        help: 'Write schema.table (public.users).',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    }
  },
};

function reportName(ctx: StatementContext, rule: string, rel: Ast): void {
  const { stmt, file } = ctx;
  const start = stmt.offsetOf(rel.location);
  const token = lightTokens(file.text, start, stmt.end)[0];
  const found = token && token.start === start;
  const schema = schemaOfSearchPath(ctx.previous) ?? 'public';
  const fixes: Fix[] = [];
  if (found)
    fixes.push({
      title: `Qualify as ${quoteIdent(schema)}.${token.text}${schema === 'public' ? ' (the default search_path)' : ''}`,
      edits: [{ file: file.path, start, end: start, newText: `${quoteIdent(schema)}.` }],
    });
  fixes.push(disableForLine(file, stmt.start, rule));
  ctx.report(rule, {
    start: found ? token.start : stmt.start,
    end: found ? token.end : stmt.end,
    message: `${rel.relname} is not schema-qualified: which table this is depends on the search_path the migration runs with (a role or database setting, or the tool running it, may change it).`,
    help: `Write schema.table (${quoteIdent(schema)}.${quoteIdent(rel.relname)}).`,
    fixes,
  });
}

/** The first schema of a `SET search_path` earlier in the section, if there is one. */
function schemaOfSearchPath(previous: Statement[]): string | undefined {
  for (let i = previous.length - 1; i >= 0; i--) {
    const s = previous[i];
    if (s.kind !== 'VariableSetStmt' || s.ast.name !== 'search_path') continue;
    const first = s.ast.args?.[0]?.A_Const?.sval?.sval ?? s.ast.args?.[0]?.String?.sval;
    return typeof first === 'string' && !first.startsWith('$') ? first : undefined;
  }
  return undefined;
}
