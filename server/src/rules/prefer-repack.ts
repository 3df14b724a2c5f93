/**
 * prefer-repack: VACUUM FULL and CLUSTER rewrite the whole table (and rebuild its indexes) while
 * holding ACCESS EXCLUSIVE: no query can even read the table until the copy is done, which takes
 * minutes to hours on a large one. Online alternatives rebuild the table while it stays in use:
 * the pg_repack or pg_squeeze extensions, and REPACK (CONCURRENTLY) from PostgreSQL 19. Tables
 * created earlier in the same migration are exempt.
 */
import { rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { shortName } from '../linter/lockWindow';
import { isVacuumFull } from '../linter/slowWork';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'prefer-repack',
  summary:
    'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock; an online repack does not block it.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    let what: string;
    let tables: string[];
    if (stmt.kind === 'VacuumStmt' && isVacuumFull(stmt.ast)) {
      what = 'VACUUM FULL';
      tables = (stmt.ast.rels ?? []).map((r: Ast) =>
        relKey(rangeVarName(r.VacuumRelation?.relation)),
      );
    } else if (stmt.kind === 'ClusterStmt') {
      what = 'CLUSTER';
      tables = stmt.ast.relation ? [relKey(rangeVarName(stmt.ast.relation))] : [];
    } else return;
    const existing = tables.filter((t) => !ctx.isNewTable(t));
    if (tables.length > 0 && existing.length === 0) return;
    const target =
      existing.length > 0
        ? existing.map(shortName).join(', ')
        : what === 'CLUSTER'
          ? 'every table clustered before'
          : 'every table of the database';
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `${what} rewrites ${target} and rebuilds the indexes under an ACCESS EXCLUSIVE lock: no query can read or write ${existing.length === 1 ? 'it' : 'them'} until the copy is done.`,
      help:
        ctx.pgVersion >= 19
          ? 'Use REPACK (CONCURRENTLY), which rebuilds the table while reads and writes continue, or run this outside the migration in a maintenance window.'
          : 'Rebuild the table online with the pg_repack or pg_squeeze extension (REPACK (CONCURRENTLY) from PostgreSQL 19), outside the migration; a plain VACUUM reclaims space for reuse without any blocking lock.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
