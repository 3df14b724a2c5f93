/**
 * Statements that run after the current one in the same migration: the rest of its section, then
 * the later sections of the same kind (dbmate allows several UP sections in one file).
 */
import type { Statement } from '../parser/parse';
import type { StatementContext } from './types';

export function laterStatements(ctx: StatementContext): Statement[] {
  const out = [...ctx.following];
  const sections = ctx.migration.sections;
  const at = sections.indexOf(ctx.section);
  for (let i = at + 1; i < sections.length; i++)
    if (sections[i].kind === ctx.section.kind) out.push(...sections[i].parsed.statements);
  return out;
}
