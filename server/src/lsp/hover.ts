/**
 * Hovers. On a statement: the locks it takes on which table and what each one blocks, whether
 * it rewrites or scans the table, how long the locks are held (the transaction it runs in), and
 * what changes with the PostgreSQL version. The facts come from the lint engine's own view of
 * the statement (schema model, transaction and session state), asked through a probe rule. On a
 * rule id in an ignore comment: the rule's summary and page.
 */
import { MarkupKind, type Hover, type MarkupContent } from 'vscode-languageserver/node';
import type { Migration, Section, SourceFile } from '../folder/model';
import { findIgnores } from '../linter/ignores';
import { lintMigration } from '../linter/lint';
import { isNonTransactional, lockBlocks, lockConflicts } from '../linter/statementFacts';
import type { Rule, StatementContext } from '../linter/types';
import { versionNotes } from '../linter/versionNotes';
import { describeWeight, statementWeight, type StatementWeight } from '../linter/weighBySize';
import type { TableSize } from '../linter/tableSize';
import type { Statement } from '../parser/parse';
import { ruleById } from '../rules';
import { docsUrl } from './diagnostics';
import type { FolderState } from './folderState';
import { shortName } from '../linter/lockWindow';

interface StatementFacts {
  /** Its locks and the slow work it does, as the size weighing sees them. */
  weight: StatementWeight;
  inTransaction: boolean;
  txReason: string;
  lockTimeout: 'unset' | 'set' | 'disabled';
  nonTransactional: boolean;
}

function collect(ctx: StatementContext): StatementFacts {
  const { stmt } = ctx;
  return {
    weight: statementWeight(ctx),
    inTransaction: ctx.tx.inTransaction,
    txReason: ctx.tx.reason,
    lockTimeout: ctx.session.lockTimeout,
    nonTransactional: isNonTransactional(stmt, ctx.pgVersion),
  };
}

/**
 * The facts of every statement of a migration, from one run of the engine with a rule that
 * only looks. Kept until the folder changes: hovering from statement to statement costs one
 * replay of the migration, not one per hover.
 */
const factsCache = new WeakMap<
  Migration,
  { generation: number; facts: Map<Statement, StatementFacts> }
>();

function probe(state: FolderState, index: number, target: Statement): StatementFacts | undefined {
  const migration = state.migration(index);
  const cached = factsCache.get(migration);
  if (cached && cached.generation === state.generation) return cached.facts.get(target);
  const facts = new Map<Statement, StatementFacts>();
  const rule: Rule = {
    id: 'pgmig-hover-probe',
    summary: 'Collects what the hover shows about each statement.',
    defaultSeverity: 'hint',
    check(ctx) {
      facts.set(ctx.stmt, collect(ctx));
    },
  };
  lintMigration(
    migration,
    state.catalogBefore(index),
    { settings: state.settings, rules: [rule] },
    state.folder,
  );
  factsCache.set(migration, { generation: state.generation, facts });
  return facts.get(target);
}

const YES = '✓';
const NO = '—';

function statementMarkdown(
  stmt: Statement,
  facts: StatementFacts,
  pgVersion: number,
  sizes: ReadonlyMap<string, TableSize> | undefined,
): string {
  const lines: string[] = [];
  const words = stmt.text.split(/\s+/);
  const head = [...words.slice(0, 2).map((w) => w.toUpperCase()), ...words.slice(2, 3)].join(' ');
  const held = facts.nonTransactional
    ? 'runs outside any transaction'
    : facts.inTransaction
      ? `held until the transaction commits (${facts.txReason})`
      : 'held until the statement ends';
  const { locks, work } = facts.weight;
  if (locks.length === 0) {
    lines.push(`**${head}** — no lock on an existing table that pgmig models.`);
  } else {
    lines.push(`**${head}** — locks ${held}:`, '');
    lines.push('| Table | Lock | Blocks reads | Blocks writes | Blocks schema changes |');
    lines.push('|---|---|:-:|:-:|:-:|');
    for (const l of locks) {
      const c = lockConflicts(l.mode);
      const name = `\`${shortName(l.table)}\`${l.isNew ? ' (new in this migration)' : ''}`;
      lines.push(
        `| ${name} | ${l.mode} | ${c.reads ? YES : NO} | ${c.writes ? YES : NO} | ${c.schemaChanges ? YES : NO} |`,
      );
    }
    lines.push('');
    const blocking = locks.filter((l) => !l.isNew);
    if (blocking.length > 0)
      lines.push(
        blocking
          .map((l) => `${l.mode} on \`${shortName(l.table)}\` blocks ${lockBlocks(l.mode)}.`)
          .join(' '),
      );
  }
  lines.push('');
  lines.push(
    work
      ? `**Work:** ${work.description} — the locks are held for as long as that takes.`
      : '**Work:** no rewrite or scan of an existing table.',
  );
  const weighed = sizes && describeWeight(facts.weight, sizes);
  if (weighed) lines.push('', `**On the connected database:** ${weighed}.`);
  if (locks.some((l) => !l.isNew)) {
    const timeout =
      facts.lockTimeout === 'set'
        ? 'set: the statement gives up instead of queueing traffic behind it.'
        : facts.lockTimeout === 'disabled'
          ? 'disabled: while it waits for its lock, every later query on the table waits too.'
          : 'not set: while it waits for its lock, every later query on the table waits too.';
    lines.push('', `**lock_timeout:** ${timeout}`);
  }
  const notes = versionNotes(stmt, pgVersion);
  if (notes.length > 0) {
    lines.push('', `**PostgreSQL ${pgVersion}:**`);
    for (const n of notes) lines.push(`- ${n}`);
  }
  return lines.join('\n');
}

function ruleMarkdown(rule: Rule, docsBaseUrl: string): string {
  return [
    `**${rule.id}** (${rule.optIn ? 'opt-in, ' : ''}default ${rule.defaultSeverity})`,
    '',
    rule.summary,
    '',
    `[Documentation](${docsUrl(docsBaseUrl, rule.id)})`,
  ].join('\n');
}

/** A rule id under the cursor inside a pgmig-ignore / squawk-ignore comment. */
function ruleAt(file: SourceFile, offset: number): { id: string; start: number } | undefined {
  const comment = findIgnores(file).find((c) => c.start <= offset && offset <= c.end);
  if (!comment) return undefined;
  const text = file.text;
  let s = offset;
  let e = offset;
  while (s > comment.start && /[a-z0-9-]/.test(text[s - 1])) s--;
  while (e < comment.end && /[a-z0-9-]/.test(text[e])) e++;
  const id = text.slice(s, e);
  return ruleById(id) ? { id, start: s } : undefined;
}

function statementAt(sections: Section[], offset: number): Statement | undefined {
  for (const section of sections) {
    if (offset < section.start || offset > section.end) continue;
    for (const s of section.parsed.statements)
      if (offset >= s.start && offset <= s.terminatorEnd) return s;
  }
  return undefined;
}

export function hover(
  state: FolderState,
  index: number,
  file: SourceFile,
  offset: number,
  docsBaseUrl: string,
  markdown: boolean,
  /** What features add about the statement (a measured lock trace), shown first. */
  notes: string[] = [],
): Hover | null {
  const content = (value: string, start: number, end: number): Hover => ({
    contents: {
      kind: markdown ? MarkupKind.Markdown : MarkupKind.PlainText,
      value: markdown ? value : value.replace(/[*`|]/g, ''),
    } satisfies MarkupContent,
    range: file.index.rangeOf(start, end),
  });
  const rule = ruleAt(file, offset);
  if (rule)
    return content(
      ruleMarkdown(ruleById(rule.id)!, docsBaseUrl),
      rule.start,
      rule.start + rule.id.length,
    );
  const sections = state.migration(index).sections.filter((s) => s.file.path === file.path);
  const stmt = statementAt(sections, offset);
  if (!stmt) return null;
  const facts = probe(state, index, stmt);
  const parts = [...notes];
  if (facts) parts.push(statementMarkdown(stmt, facts, state.settings.pgVersion, state.sizes()));
  if (parts.length === 0) return null;
  return content(parts.join('\n\n---\n\n'), stmt.start, stmt.end);
}
