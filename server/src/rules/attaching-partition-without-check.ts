/**
 * attaching-partition-without-check: ALTER TABLE … ATTACH PARTITION scans every row of the table
 * being attached, under an ACCESS EXCLUSIVE lock on it, to prove the rows fit the partition
 * bounds — unless a validated CHECK constraint already implies them. A DEFAULT partition of the
 * parent is locked and scanned too. From PostgreSQL 12 the parent itself only gets SHARE UPDATE
 * EXCLUSIVE; before 12 it is ACCESS EXCLUSIVE as well. Tables created earlier in the same
 * migration are exempt.
 */
import { qualifiedIdent, quoteIdent } from '../parser/ast';
import { statementTokens, type Ast } from '../parser/parse';
import { replace } from '../linter/fixes';
import { shortName } from '../linter/lockWindow';
import { freshConstraintName, placeLater } from '../linter/notValidFix';
import { mergeInserts } from '../linter/afterStatement';
import {
  attachOf,
  boundCheckOf,
  boundExpression,
  type AttachTarget,
} from '../linter/partitionCheck';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'attaching-partition-without-check',
  summary:
    'ATTACH PARTITION without a validated CHECK matching the bounds scans the table under an ACCESS EXCLUSIVE lock.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const at = attachOf(ctx.stmt);
    if (!at) return;
    const { stmt } = ctx;
    const child = shortName(at.partition);
    const parent = shortName(at.parent);
    const scansChild =
      !ctx.isNewTable(at.partition) && !boundCheckOf(ctx.catalog, at.partition, at.parent);
    // constraints the model cannot see: a table from before the migrations it has seen, or after
    // changes (dynamic SQL) it could not follow
    const known = ctx.catalog.table(at.partition);
    const unsure = !known || known.uncertain || ctx.catalog.opaque;
    const dflt = at.bound?.is_default ? undefined : defaultPartition(ctx, at);
    if (!scansChild && !dflt) return;
    const parentLock =
      ctx.pgVersion < 12
        ? ` Before PostgreSQL 12 it also holds ACCESS EXCLUSIVE on ${parent}, blocking every query on it.`
        : '';
    const dfltText = dflt
      ? ` ${parent} has a default partition, ${shortName(dflt)}: it is locked ACCESS EXCLUSIVE and scanned too, to prove none of its rows belong to ${child}, unless a validated CHECK on it excludes the new bounds.`
      : '';
    const message = scansChild
      ? `Attaching ${child} to ${parent} scans every row of ${child} to prove it fits the partition bounds, under an ACCESS EXCLUSIVE lock: reads and writes of ${child} are blocked until the scan ends${unsure ? ` — unless ${child} has a validated CHECK constraint implying the bounds, which pgmig cannot see (${!known ? 'the table is not created by the migrations it has seen' : ctx.catalog.opaque ? (ctx.catalog.opaqueReason ?? 'dynamic SQL ran') : 'an earlier statement changed it in a way it cannot follow'})` : ''}.${dfltText}${parentLock}`
      : `Attaching ${child} to ${parent}:${dfltText}${parentLock}`;
    const fix = scansChild ? checkFirstFix(ctx, at) : undefined;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message,
      help: `Add a CHECK constraint matching the bounds to ${child} NOT VALID, VALIDATE it in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue), then ATTACH — PostgreSQL skips the scan — and drop the now redundant CHECK.`,
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

function defaultPartition(ctx: StatementContext, at: AttachTarget): string | undefined {
  for (const [k, t] of ctx.catalog.tables)
    if (
      k !== at.partition &&
      t.partitionOf === at.parent &&
      t.defaultPartition &&
      !ctx.isNewTable(k)
    )
      return k;
  return undefined;
}

/**
 * ADD CONSTRAINT … CHECK (bounds) NOT VALID in place of the ATTACH; VALIDATE, the ATTACH itself
 * and DROP CONSTRAINT in a later transaction (right after in autocommit, else in a follow-up
 * migration — only when nothing after the ATTACH in this section could depend on it).
 */
function checkFirstFix(ctx: StatementContext, at: AttachTarget): Fix | undefined {
  if (ctx.pgVersion < 12) return undefined;
  const { stmt, section } = ctx;
  if (stmt.ast.cmds?.length !== 1) return undefined;
  const autocommit =
    !ctx.tx.inTransaction &&
    section.transaction !== 'single-query' &&
    section.transaction !== 'auto';
  if (!autocommit && ctx.following.length > 0) return undefined;
  const expr = boundExpression(ctx.catalog.table(at.parent), at.bound, (d) => datumText(ctx, d));
  if (!expr) return undefined;
  const table = qualifiedIdent(at.partitionName);
  const name = freshConstraintName(
    ctx.catalog,
    at.partition,
    at.partitionName.name,
    [],
    'bound_check',
  );
  const qn = quoteIdent(name);
  const attach = stmt.text.endsWith(';') ? stmt.text : `${stmt.text};`;
  const later = placeLater(ctx, [
    `ALTER TABLE ${table} VALIDATE CONSTRAINT ${qn};`,
    attach,
    `ALTER TABLE ${table} DROP CONSTRAINT ${qn};`,
  ]);
  if (!later) return undefined;
  return {
    title: `Add CHECK ${name} NOT VALID now; VALIDATE, ATTACH and drop it ${later.where}`,
    preferred: true,
    edits: mergeInserts([
      replace(
        ctx.file,
        stmt.start,
        stmt.end,
        `ALTER TABLE ${table} ADD CONSTRAINT ${qn} CHECK (${expr}) NOT VALID`,
      ),
      ...later.edits,
    ]),
  };
}

/** Source text of one bound value: from its start to the next `,` or `)` at its own depth. */
function datumText(ctx: StatementContext, datum: Ast): string | undefined {
  const loc = firstLocation(datum);
  if (loc === undefined) return undefined;
  const start = ctx.stmt.offsetOf(loc);
  const tokens = statementTokens(ctx.file.index, ctx.stmt);
  let i = tokens.findIndex((t) => t.start === start);
  if (i < 0) return undefined;
  // a cast like '2024-01-01'::date starts at the literal; a leading `(` belongs to the value
  let depth = 0;
  let end = tokens[i].end;
  for (; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(') depth++;
    else if (t === ')') {
      if (depth === 0) break;
      depth--;
    } else if (t === ',' && depth === 0) break;
    end = tokens[i].end;
  }
  const text = ctx.file.text.slice(start, end).trim();
  return text || undefined;
}

/** The smallest location in a bound value's tree (where its text starts). */
function firstLocation(node: Ast): number | undefined {
  let min: number | undefined;
  const visit = (n: Ast) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0)
        min = min === undefined ? v : Math.min(min, v);
      else visit(v);
    }
  };
  visit(node);
  return min;
}
