/**
 * irreversible-up: an UP statement whose effect no DOWN can undo — it deletes data (DROP TABLE,
 * DROP COLUMN, DROP SCHEMA … CASCADE, TRUNCATE, DELETE), overwrites it (UPDATE of existing
 * columns) or converts it lossily (ALTER COLUMN … TYPE that rounds or reformats) — in a migration
 * that has a DOWN, so a rollback looks possible and silently is not: it brings the structure back
 * without the data. A migration whose DOWN is empty says it is irreversible and is not judged, nor
 * are tables and columns created earlier in the same migration. Advice: info.
 */
import { rangeVarName, relKey, typeDisplay, typeRef } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import { isLossyTypeChange } from '../linter/lossyType';
import type { Rule, StatementContext } from '../linter/types';

const HELP =
  'Say so in the DOWN (make it fail with a clear error, or leave it empty: the migration is irreversible), or keep the data where the DOWN can restore it from (CREATE TABLE … AS, a backup column).';

export const rule: Rule = {
  id: 'irreversible-up',
  summary: 'An UP statement destroys data that the migration’s DOWN cannot bring back.',
  defaultSeverity: 'info',
  check(ctx) {
    const { stmt } = ctx;
    // the statement's kind first: the section and the migration are looked at only for these
    if (!mayLoseData(stmt)) return;
    if (ctx.section.kind !== 'up' || !hasDown(ctx)) return;
    const a = stmt.ast;
    const say = (what: string, range: { start: number; end: number } = stmt) =>
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `${what}, and this migration has a DOWN: rolling back brings the structure back at best, not the data.`,
        help: HELP,
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    switch (stmt.kind) {
      case 'DropStmt': {
        const names = objectNames(a).filter((n) => !ctx.isNewTable(relKey(n)));
        if (a.removeType === 'OBJECT_TABLE' && names.length > 0)
          say(
            `Dropping ${list(names.map((n) => n.name))} deletes ${names.length > 1 ? 'their' : 'its'} rows`,
          );
        if (a.removeType === 'OBJECT_SCHEMA' && a.behavior === 'DROP_CASCADE') {
          const schemas = (a.objects ?? []).map((o: Ast) => o.String?.sval as string);
          const tables = [...ctx.catalog.tables.values()].filter(
            (t) => schemas.includes(t.schema) && t.createdIn !== ctx.migration.id,
          );
          if (tables.length > 0)
            say(`DROP SCHEMA … CASCADE deletes the rows of ${list(tables.map((t) => t.name))}`);
        }
        return;
      }
      case 'TruncateStmt': {
        const names = (a.relations ?? [])
          .map((r: Ast) => rangeVarName(r.RangeVar))
          .filter((n: { name: string }) => !ctx.isNewTable(relKey(n)));
        if (names.length > 0)
          say(`TRUNCATE deletes every row of ${list(names.map((n: { name: string }) => n.name))}`);
        return;
      }
      case 'DeleteStmt': {
        const rel = rangeVarName(a.relation);
        if (!ctx.isNewTable(relKey(rel))) say(`DELETE removes rows of ${rel.name}`);
        return;
      }
      case 'UpdateStmt': {
        const rel = rangeVarName(a.relation);
        const key = relKey(rel);
        const old = (a.targetList ?? [])
          .map((t: Ast) => t.ResTarget?.name as string)
          .filter((c: string | undefined) => c && !ctx.isNewColumn(key, c));
        if (old.length > 0)
          say(`UPDATE overwrites ${list(old.map((c: string) => `${rel.name}.${c}`))}`);
        return;
      }
      case 'AlterTableStmt':
        return alterTable(ctx, say);
      default:
        return;
    }
  },
};

function alterTable(
  ctx: StatementContext,
  say: (what: string, range?: { start: number; end: number }) => void,
): void {
  const { stmt } = ctx;
  const rel = rangeVarName(stmt.ast.relation);
  const key = relKey(rel);
  (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
    const cmd = c.AlterTableCmd;
    if (!cmd?.name || ctx.isNewColumn(key, cmd.name)) return;
    if (cmd.subtype === 'AT_DropColumn')
      say(
        `Dropping ${rel.name}.${cmd.name} deletes its values`,
        commandOrStatement(ctx.file, stmt, i),
      );
    if (cmd.subtype === 'AT_AlterColumnType' && cmd.def?.ColumnDef?.typeName) {
      const from = ctx.catalog.column(key, cmd.name)?.type;
      const to = typeRef(cmd.def.ColumnDef.typeName);
      if (from && isLossyTypeChange(from, to))
        say(
          `Changing ${rel.name}.${cmd.name} from ${typeDisplay(from)} to ${typeDisplay(to)} can change stored values (rounding, dropped parts, reformatting) so that converting back does not restore them`,
          commandOrStatement(ctx.file, stmt, i),
        );
    }
  });
}

/** The migration has a DOWN with at least one statement (an empty one means "irreversible"). */
const DESTRUCTIVE = new Set(['DropStmt', 'TruncateStmt', 'DeleteStmt', 'UpdateStmt']);
const LOSSY_COMMANDS = new Set(['AT_DropColumn', 'AT_AlterColumnType']);

function mayLoseData(stmt: Statement): boolean {
  if (DESTRUCTIVE.has(stmt.kind)) return true;
  return (
    stmt.kind === 'AlterTableStmt' &&
    (stmt.ast.cmds ?? []).some((c: Ast) => LOSSY_COMMANDS.has(c.AlterTableCmd?.subtype))
  );
}

function hasDown(ctx: StatementContext): boolean {
  return ctx.migration.sections.some((s) => s.kind === 'down' && s.parsed.statements.length > 0);
}

function objectNames(a: Ast): { schema?: string; name: string }[] {
  return (a.objects ?? []).map((o: Ast) => {
    const items: string[] = (o.List?.items ?? []).map((x: Ast) => x.String?.sval ?? '');
    return items.length > 1
      ? { schema: items[items.length - 2], name: items[items.length - 1] }
      : { name: items[0] ?? '' };
  });
}

function list(names: string[]): string {
  return names.length <= 3
    ? names.join(', ')
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
