/**
 * down-does-not-reverse-up: replays the UP and then the DOWN of a migration on the schema model
 * and compares the result with the schema before the UP. Every difference is a rollback that does
 * not restore the schema: something the UP creates that the DOWN leaves (a table, column, index,
 * constraint, type, view, function, trigger, sequence, extension, schema), a rename or type change
 * not undone, a NOT NULL or default not restored, or something the DOWN removes that existed
 * before. Each difference is reported at the UP statement that made it (or the DOWN statement
 * that did, when the UP did not touch it). Enum values are left out (PostgreSQL cannot drop one),
 * and so is constraint validation. Not judged: migrations without a DOWN or with an empty one (it
 * says "irreversible"), sections with syntax errors, and whatever the model is unsure of (dynamic
 * SQL, tables it only saw altered).
 */
import type { Migration, Section } from '../folder/model';
import type { Statement } from '../parser/parse';
import { Catalog } from '../schema/catalog';
import { applyStatement } from '../schema/apply';
import {
  catalogFacts,
  describeFact,
  diffFacts,
  type FactChange,
  type FactOptions,
} from '../schema/facts';
import { disableForLine } from '../linter/fixes';
import type { MigrationContext, Rule } from '../linter/types';

/** The schema right before each migration's UP, taken when its first UP section starts. */
const before = new WeakMap<Migration, Catalog>();

// kinds a DOWN cannot or need not restore
const IGNORED = new Set(['enum values', 'validated']);

export const rule: Rule = {
  id: 'down-does-not-reverse-up',
  summary: 'Running the UP and then the DOWN does not bring the schema back to where it was.',
  defaultSeverity: 'warning',
  checkSection(ctx) {
    const m = ctx.migration;
    if (ctx.section !== m.sections.find((s) => s.kind === 'up') || !judged(m)) return;
    before.set(m, ctx.catalogAtStart.clone());
  },
  checkMigration(ctx) {
    const start = before.get(ctx.migration);
    before.delete(ctx.migration);
    if (!start || start.opaque) return;
    check(ctx, start, this.id);
  },
};

function judged(m: Migration): boolean {
  const downs = m.sections.filter((s) => s.kind === 'down');
  if (!downs.some((s) => s.parsed.statements.length > 0)) return false;
  // DDL inside a DO block happens out of the model's sight
  return m.sections.every(
    (s) => s.parsed.errors.length === 0 && !s.parsed.statements.some(hiddenDdl),
  );
}

function hiddenDdl(s: Statement): boolean {
  return s.kind === 'DoStmt' && /\b(create|alter|drop|rename)\b/i.test(s.text);
}

interface Step {
  section: Section;
  stmt: Statement;
}

function check(ctx: MigrationContext, start: Catalog, rule: string): void {
  const m = ctx.migration;
  const steps = (kind: 'up' | 'down'): Step[] =>
    m.sections
      .filter((s) => s.kind === kind)
      .flatMap((section) => section.parsed.statements.map((stmt) => ({ section, stmt })));
  const ups = steps('up');
  const downs = steps('down');
  const end = start.clone();
  for (const s of [...ups, ...downs]) applyStatement(end, s.stmt, m.id);
  if (end.opaque) return;
  const opts = factOptions(start, end);
  const changes = diffFacts(catalogFacts(start, opts), catalogFacts(end, opts)).filter(
    (c) => !IGNORED.has(c.fact.kind) && !sameType(c),
  );
  if (changes.length === 0) return;
  const culprits = attribute(start, ups, downs, changes, opts, m.id);
  const unknownDrops = namesDroppedBy(ups);
  for (const [step, all] of culprits) {
    const list = all.filter((c) => !expected(step, c, unknownDrops));
    if (list.length === 0) continue;
    const isUp = step.section.kind === 'up';
    const lead = isUp
      ? 'The DOWN does not undo this statement'
      : 'This DOWN statement changes what existed before the UP';
    ctx.report(rule, {
      file: step.section.file.path,
      start: step.stmt.start,
      end: step.stmt.end,
      message: `${lead}: ${phrases(list)}.`,
      help: isUp
        ? 'Add to the DOWN the statement that reverses this one (in reverse order of the UP), or leave the DOWN empty if the migration is meant to be irreversible.'
        : 'A DOWN should only reverse what its UP did.',
      fixes: [disableForLine(step.section.file, step.stmt.start, rule)],
    });
  }
}

/** varchar without a length is text by another name. */
function sameType(c: FactChange): boolean {
  const plain = (t?: string) => t === 'text' || t === 'varchar';
  return c.fact.kind === 'column' && plain(c.before) && plain(c.after);
}

/**
 * Differences that are not the DOWN's fault: a DOWN recreating what the UP dropped although the
 * model never knew it (it predates the migrations pgmig sees), and an extension or schema the UP
 * only made sure exists (IF NOT EXISTS: it may well have been there, and others may use it).
 */
function expected(step: Step, c: FactChange, unknownDrops: ReadonlySet<string>): boolean {
  if (c.before !== undefined) return false;
  if (step.section.kind === 'down') {
    // the object's own name, or its table's (a recreated table brings its columns)
    const subject = c.fact.kind === 'trigger' ? c.fact.subject.split(' ')[0] : c.fact.subject;
    return subject
      .replace(/\(.*$/, '')
      .split('.')
      .slice(1)
      .some((name) => unknownDrops.has(name));
  }
  const a = step.stmt.ast;
  return (
    (step.stmt.kind === 'CreateExtensionStmt' || step.stmt.kind === 'CreateSchemaStmt') &&
    !!a.if_not_exists
  );
}

/** Names of the objects, constraints and columns the UP drops. */
function namesDroppedBy(ups: Step[]): Set<string> {
  const out = new Set<string>();
  for (const { stmt } of ups) {
    const a = stmt.ast;
    if (stmt.kind === 'DropStmt')
      for (const o of a.objects ?? []) {
        const items = o.List?.items ?? o.ObjectWithArgs?.objname ?? (o.String ? [o] : []);
        const last = items[items.length - 1]?.String?.sval;
        if (last) out.add(last);
      }
    if (stmt.kind === 'AlterTableStmt')
      for (const c of a.cmds ?? []) {
        const cmd = c.AlterTableCmd;
        if ((cmd?.subtype === 'AT_DropConstraint' || cmd?.subtype === 'AT_DropColumn') && cmd.name)
          out.add(cmd.name);
      }
  }
  return out;
}

/**
 * Tables the model is unsure of on either side are compared by existence only; tables that are
 * the same object on both sides (copy on write: untouched) need not be compared at all.
 */
function factOptions(start: Catalog, end: Catalog): FactOptions {
  const skipTables = new Set<string>();
  const onlyTables = new Set<string>();
  for (const c of [start, end])
    for (const [k, t] of c.tables) {
      if (t.uncertain) skipTables.add(k);
      if (start.tables.get(k) !== end.tables.get(k)) onlyTables.add(k);
    }
  return { skipTables, onlyTables };
}

/**
 * The statement each change comes from: the first UP statement after which the fact differs from
 * before the UP; failing that, the first DOWN statement after which it differs from after the UP.
 */
function attribute(
  start: Catalog,
  ups: Step[],
  downs: Step[],
  changes: FactChange[],
  opts: FactOptions,
  migrationId: string,
): Map<Step, FactChange[]> {
  const out = new Map<Step, FactChange[]>();
  const pending = new Map(changes.map((c) => [c.key, c]));
  const c = start.clone();
  const walk = (list: Step[], baseline: (key: string) => string | undefined) => {
    for (const step of list) {
      if (pending.size === 0) return;
      applyStatement(c, step.stmt, migrationId);
      const facts = catalogFacts(c, opts);
      for (const [key, change] of pending)
        if (facts.get(key) !== baseline(key)) {
          out.set(step, [...(out.get(step) ?? []), change]);
          pending.delete(key);
        }
    }
  };
  walk(ups, (key) => pending.get(key)?.before);
  const afterUp = catalogFacts(c, opts);
  walk(downs, (key) => afterUp.get(key));
  // what neither side's statements explain (should not happen): the DOWN's first statement
  if (pending.size > 0 && downs[0])
    out.set(downs[0], [...(out.get(downs[0]) ?? []), ...pending.values()]);
  return out;
}

function phrases(all: FactChange[]): string {
  const list = withoutImplied(all);
  const shown = list.slice(0, 4).map((c) => {
    const what = display(describeFact(c.fact));
    if (c.after === undefined) return `${what} is missing after the DOWN`;
    if (c.before === undefined) return `${what} remains after the DOWN`;
    return `${what} is ${c.after} after the DOWN, ${c.before} before the UP`;
  });
  if (list.length > 4) shown.push(`and ${list.length - 4} more`);
  return shown.join('; ');
}

/**
 * A table that appears or disappears brings its columns and constraints with it, and a column its
 * nullability and default: only the outermost change is worth saying.
 */
function withoutImplied(list: FactChange[]): FactChange[] {
  const appeared = (c: FactChange) => c.before === undefined || c.after === undefined;
  const tables = list
    .filter((c) => c.fact.kind === 'table' && appeared(c))
    .map((c) => `${c.fact.subject}.`);
  const columns = new Set(
    list.filter((c) => c.fact.kind === 'column' && appeared(c)).map((c) => c.fact.subject),
  );
  return list
    .filter((c) => {
      if (c.fact.kind === 'table' || c.fact.kind === 'schema') return true;
      if (TABLE_PARTS.has(c.fact.kind) && tables.some((t) => c.fact.subject.startsWith(t)))
        return false;
      return !(
        (c.fact.kind === 'nullability' || c.fact.kind === 'default') &&
        columns.has(c.fact.subject)
      );
    })
    .sort((x, y) => ORDER.indexOf(x.fact.kind) - ORDER.indexOf(y.fact.kind));
}

const TABLE_PARTS = new Set(['column', 'nullability', 'default', 'constraint', 'validated']);
const ORDER = ['schema', 'table', 'column', 'nullability', 'default', 'constraint', 'index'];

/** `public.` is noise in messages. */
function display(text: string): string {
  return text.replace(/(^|[\s(])public\./g, '$1');
}
