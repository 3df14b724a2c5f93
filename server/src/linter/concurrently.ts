/**
 * The fix shared by the rules that want CONCURRENTLY (index creation, index deletion, reindex,
 * partition detach): insert the keyword, then make sure the statement runs outside a transaction
 * in the runner's own terms, or move it to a migration of its own where the runner has no switch.
 */
import { statementTokens } from '../parser/parse';
import {
  deleteStatement,
  followUpMigration,
  insert,
  nonTransactionalEdits,
  slug,
  statementSql,
} from './fixes';
import type { Fix, StatementContext } from './types';

/**
 * @param afterKeyword the keyword sequence after which ` CONCURRENTLY` goes (e.g. ['INDEX']).
 * @param down the DOWN of a migration the statement moves to, when it moves.
 */
export function concurrentlyFix(
  ctx: StatementContext,
  afterKeyword: string[],
  down: string | undefined,
): Fix | undefined {
  const { stmt, file } = ctx;
  const tokens = statementTokens(file.index, stmt);
  const at = findSequence(
    tokens.map((t) => t.keyword),
    afterKeyword,
  );
  if (at < 0) return undefined;
  return concurrentlyFixAt(ctx, tokens[at + afterKeyword.length - 1].end, down);
}

/** concurrentlyFix with ` CONCURRENTLY` inserted at `offset` (e.g. after a partition name). */
export function concurrentlyFixAt(
  ctx: StatementContext,
  offset: number,
  down: string | undefined,
): Fix | undefined {
  const { stmt, file } = ctx;
  const add = insert(file, offset, ' CONCURRENTLY');
  const rel = offset - stmt.start;
  const concurrentSql = `${stmt.text.slice(0, rel)} CONCURRENTLY${stmt.text.slice(rel)}`;

  const alone = ctx.section.parsed.statements.length === 1;
  if (!ctx.tx.inTransaction || (ctx.section.transaction === 'single-query' && alone)) {
    return { title: 'Add CONCURRENTLY', preferred: true, edits: [add] };
  }
  if (!ctx.tx.explicit) {
    const switchOff = nonTransactionalEdits(ctx.migration, ctx.section);
    if (switchOff)
      return {
        title: `Add CONCURRENTLY and ${switchOff.how}`,
        preferred: true,
        edits: [add, ...switchOff.edits],
      };
    if (ctx.section.transaction === 'auto' && alone) {
      return { title: 'Add CONCURRENTLY', preferred: true, edits: [add] };
    }
  }
  // the runner keeps this section in a transaction: the statement needs a migration of its own
  const moved = followUpMigration(ctx.folder, ctx.migration, {
    name: slug(`${ctx.migration.name}_concurrently`),
    up: statementSql({ ...stmt, text: concurrentSql }),
    down,
    transactional: false,
  });
  if (!moved || ctx.section.kind !== 'up') return undefined;
  return {
    title: `Move to a new migration ${moved.label} with CONCURRENTLY`,
    preferred: true,
    edits: [deleteStatement(file, stmt), ...moved.edits],
  };
}

export function findSequence(words: string[], seq: string[]): number {
  outer: for (let i = 0; i + seq.length <= words.length; i++) {
    for (let j = 0; j < seq.length; j++) if (words[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}
