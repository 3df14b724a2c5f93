/**
 * require-batched-data-change: an UPDATE or DELETE that touches every row of an existing table —
 * no WHERE, or a WHERE that only looks for NULL in a column this migration adds — runs as one
 * transaction over the whole table: every changed row stays locked against other writers until
 * it commits, the table fills with dead rows, and the WAL burst makes replicas lag. Inside the
 * migration's DDL transaction it also keeps every lock the DDL took (ACCESS EXCLUSIVE for most
 * ALTER TABLEs) for the whole run. A WHERE that filters otherwise is not judged: the size is
 * unknown. The fix offers a batched DO block, run outside a transaction; tables created earlier
 * in the same migration are exempt.
 */
import { batchedTemplate } from '../linter/batchedTemplate';
import { followUpRunsOutsideTransaction, sendsStatementsSeparately } from '../linter/followUpModes';
import { replace, slug } from '../linter/fixes';
import { heldAccessExclusive, listNames, shortName } from '../linter/lockWindow';
import { wholeTableChange } from '../linter/slowWork';
import { moveTail, sectionTail } from '../linter/splitMigration';
import type { Section } from '../folder/model';
import type { Fix, Rule, StatementContext } from '../linter/types';

/** Sections whose first full-table change already got the fix that moves the section's tail. */
const movedFrom = new WeakSet<Section>();

export const rule: Rule = {
  id: 'require-batched-data-change',
  summary:
    'UPDATE or DELETE of every row of an existing table in one transaction: row locks, bloat and held DDL locks for the whole run.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  checkSection(ctx) {
    movedFrom.delete(ctx.section);
  },
  check(ctx) {
    // kept up to date for every statement: the window is judged in order
    const held = heldAccessExclusive(ctx);
    const change = wholeTableChange(ctx);
    if (!change) return;
    const { stmt } = ctx;
    const table = shortName(change.table);
    const others = [...held.keys()];
    const where = !ctx.tx.inTransaction
      ? 'as one statement:'
      : others.length > 0
        ? `inside the migration's transaction, which holds ACCESS EXCLUSIVE on ${listNames(others)}: ${listNames(others)} ${others.length > 1 ? 'stay' : 'stays'} unreadable until every row is written, and`
        : "inside the migration's transaction:";
    const fix = batchedFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This ${stmt.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE'} ${change.description} (${change.reason}) ${where} every changed row stays locked against other writers until it commits; the dead rows bloat ${table} and the WAL burst makes replicas lag.`,
      help: 'Change the rows in batches of a few thousand, each committed on its own, outside the DDL transaction (a migration of its own that runs without a transaction, or a script run after the deploy).',
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/**
 * The DO block in place of the statement when it already runs outside a transaction block;
 * else in a new migration that runs without a transaction, followed by a transactional one with
 * the statements that came after it (they may need the data changed first).
 */
function batchedFix(ctx: StatementContext): Fix | undefined {
  const template = batchedTemplate(ctx);
  if (!template) return undefined;
  const { stmt, section, file } = ctx;
  const alone = section.parsed.statements.length === 1;
  // COMMIT inside DO needs the DO outside any transaction block, implicit ones included
  const autocommit =
    !ctx.tx.inTransaction &&
    (alone ||
      (section.transaction === 'none' && sendsStatementsSeparately(ctx.migration.format, section)));
  const title = 'Replace with a batched DO block (review the batch size)';
  if (autocommit) {
    return { title, edits: [replace(file, stmt.start, stmt.end, template.replace(/;$/, ''))] };
  }
  if (ctx.tx.explicit || !followUpRunsOutsideTransaction(ctx.migration.format)) return undefined;
  // the first such statement's fix moves the later ones along with it: one fix per section
  if (movedFrom.has(section)) return undefined;
  movedFrom.add(section);
  const tail = sectionTail(ctx, ctx.position);
  if (!tail) return undefined;
  const base = ctx.migration.name;
  const moved = moveTail(ctx, tail, [
    { name: slug(`${base}_backfill`), up: template, transactional: false },
    ...(tail.rest
      ? [
          {
            name: slug(`${base}_after_backfill`),
            up: [...tail.settings, tail.rest].join('\n'),
            transactional: true,
          },
        ]
      : []),
  ]);
  if (!moved) return undefined;
  return {
    title: `Move to new migrations as a batched DO block (review the batch size): ${moved.label}`,
    edits: moved.edits,
  };
}
