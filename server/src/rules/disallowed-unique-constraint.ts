/**
 * disallowed-unique-constraint: ALTER TABLE … ADD CONSTRAINT … UNIQUE (cols), or ADD COLUMN …
 * UNIQUE, on an existing table builds the unique index while holding an ACCESS EXCLUSIVE lock, so
 * reads and writes of the table wait for the whole build. The safe pattern builds the index with
 * CREATE UNIQUE INDEX CONCURRENTLY and then attaches it with ADD CONSTRAINT … UNIQUE USING INDEX,
 * which only needs the lock briefly. Tables created in the same migration are exempt.
 */
import {
  columnConstraints,
  qualifiedIdent,
  quoteIdent,
  rangeVarName,
  relKey,
  stringList,
} from '../parser/ast';
import type { Ast } from '../parser/parse';
import {
  deleteStatement,
  followUpMigrations,
  nonTransactionalEdits,
  replace,
  slug,
} from '../linter/fixes';
import { lineBreakOf } from '../text/positions';
import type { Edit, Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'disallowed-unique-constraint',
  summary:
    'Adding a UNIQUE constraint to an existing table blocks reads and writes while its index builds.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt' || stmt.ast.objtype !== 'OBJECT_TABLE') return;
    const rel = rangeVarName(stmt.ast.relation);
    if (ctx.isNewTable(relKey(rel))) return;
    const cmds: Ast[] = (stmt.ast.cmds ?? []).map((c: Ast) => c.AlterTableCmd).filter(Boolean);
    const found = cmds.map(uniqueOf).find((u) => u !== undefined);
    if (!found) return;
    const table = qualifiedIdent(rel);
    const fix =
      cmds.length === 1 && found.form === 'table' ? usingIndexFix(ctx, found.con) : undefined;
    const what = found.con.conname
      ? `unique constraint ${found.con.conname}`
      : found.form === 'column'
        ? `column ${found.column} with a UNIQUE constraint`
        : 'a unique constraint';
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Adding ${what} to ${table} builds its unique index while holding an ACCESS EXCLUSIVE lock on ${table}: reads and writes wait for the whole build.`,
      help: 'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction), then attach it with ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX, which holds the lock only briefly. A unique constraint has no NOT VALID form.',
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

interface Found {
  form: 'table' | 'column';
  con: Ast;
  column?: string;
}

function uniqueOf(cmd: Ast): Found | undefined {
  if (cmd.subtype === 'AT_AddConstraint') {
    const con = cmd.def?.Constraint;
    if (con?.contype === 'CONSTR_UNIQUE' && !con.indexname) return { form: 'table', con };
  } else if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
    const con = columnConstraints(cmd.def.ColumnDef).find((c) => c.contype === 'CONSTR_UNIQUE');
    if (con) return { form: 'column', con, column: cmd.def.ColumnDef.colname };
  }
  return undefined;
}

/** The two statements of the safe pattern; undefined for options the rewrite would lose. */
function rewrite(
  ctx: StatementContext,
  con: Ast,
): { index: string; attach: string; name: string; table: string } | undefined {
  if (!con.conname || con.options || con.indexspace || con.where_clause) return undefined;
  const keys = stringList(con.keys);
  if (keys.length === 0) return undefined;
  const table = qualifiedIdent(rangeVarName(ctx.stmt.ast.relation));
  const name = quoteIdent(con.conname);
  const include = con.including?.length
    ? ` INCLUDE (${stringList(con.including).map(quoteIdent).join(', ')})`
    : '';
  const nulls = con.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
  const deferrable = con.deferrable
    ? ` DEFERRABLE${con.initdeferred ? ' INITIALLY DEFERRED' : ''}`
    : '';
  return {
    index: `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${keys.map(quoteIdent).join(', ')})${include}${nulls};`,
    attach: `ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}${deferrable};`,
    name,
    table,
  };
}

function usingIndexFix(ctx: StatementContext, con: Ast): Fix | undefined {
  const { stmt, file, section, tx } = ctx;
  // CREATE INDEX CONCURRENTLY is not supported on a partitioned table
  if (ctx.catalog.table(relKey(rangeVarName(stmt.ast.relation)))?.partitioned) return undefined;
  const sql = rewrite(ctx, con);
  if (!sql) return undefined;
  const nl = lineBreakOf(file.text);
  const inPlace = replace(file, stmt.start, stmt.terminatorEnd, `${sql.index}${nl}${sql.attach}`);
  const title = 'Build the unique index CONCURRENTLY, then add the constraint USING INDEX';
  // a one-query section turns two statements into one implicit transaction: CIC would fail there
  if (!tx.inTransaction && section.transaction !== 'single-query')
    return { title, preferred: true, edits: [inPlace] };
  if (tx.inTransaction && !tx.explicit) {
    const switchOff = nonTransactionalEdits(ctx.migration, section);
    if (switchOff)
      return {
        title: `${title} (${switchOff.how})`,
        preferred: true,
        edits: [inPlace, ...switchOff.edits],
      };
  }
  if (section.kind !== 'up') return undefined;
  const moved = followUpMigrations(ctx.folder, ctx.migration, [
    {
      name: slug(`${con.conname}_index`),
      up: sql.index,
      down: `DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedIdent({ schema: stmt.ast.relation?.schemaname, name: con.conname })};`,
      transactional: false,
    },
    {
      name: slug(`${con.conname}_constraint`),
      up: sql.attach,
      down: `ALTER TABLE ${sql.table} DROP CONSTRAINT IF EXISTS ${sql.name};`,
      transactional: true,
    },
  ]);
  if (!moved) return undefined;
  const edits: Edit[] = [deleteStatement(file, stmt), ...moved.edits];
  return {
    title: `Move to new migrations ${moved.labels.join(' and ')}: the unique index CONCURRENTLY, then the constraint USING INDEX`,
    preferred: true,
    edits,
  };
}
