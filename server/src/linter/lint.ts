/**
 * The lint engine: walks a folder's migrations in runner order, keeps the schema model and the
 * transaction and session state up to date statement by statement, runs the enabled rules, and
 * filters what ignore comments suppress. Pure: files in, violations out.
 */
import type { Migration, MigrationFolder, Section, SourceFile } from '../folder/model';
import { lineBreakOf } from '../text/positions';
import { disableForLine } from './fixes';
import type { Statement } from '../parser/parse';
import { rangeVarName, relKey } from '../parser/ast';
import { Catalog } from '../schema/catalog';
import { applyStatement } from '../schema/apply';
import type { Settings } from '../config/settings';
import { RULES } from '../rules';
import { applyIgnores } from './ignores';
import { touching } from './columnTypes';
import { Recorder, record, TrackedMap } from '../schema/tracked';
import {
  align,
  Dirty,
  moved,
  readsOf,
  sameSession,
  sameTx,
  withinStatement,
  type JournalStep,
  type LintJournal,
} from './journal';
import type { TableSize } from './tableSize';
import { statementWeight, weighViolations, type StatementWeight } from './weighBySize';
import { isNonTransactional } from './statementFacts';
import type {
  MigrationContext,
  Report,
  Rule,
  SectionContext,
  SessionState,
  Severity,
  StatementContext,
  TxState,
  Violation,
} from './types';

export interface LintOptions {
  settings: Settings;
  /** Only these rules (after config), e.g. from `--rule`. */
  only?: ReadonlySet<string>;
  /** Never these rules, e.g. from `--exclude`. */
  exclude?: ReadonlySet<string>;
  /** Rules to run instead of the registry (the language server's hover asks a probe). */
  rules?: readonly Rule[];
  /** Real table sizes (`schema.name` →) from a connected database: findings say what they mean. */
  tableSizes?: ReadonlyMap<string, TableSize>;
  /**
   * What the previous lint of this migration left (the language server): statements it shows
   * unchanged are not worked out again. The catalog passed must then be the same as before.
   */
  journal?: LintJournal;
}

interface ActiveRule {
  rule: Rule;
  severity: Severity;
}

export function activeRules(
  options: LintOptions,
  rules: readonly Rule[] = options.rules ?? RULES,
): ActiveRule[] {
  const out: ActiveRule[] = [];
  for (const rule of rules) {
    const setting = options.settings.rules[rule.id];
    if (options.exclude?.has(rule.id)) continue;
    if (options.only && !options.only.has(rule.id)) continue;
    if (setting === 'off') continue;
    // an opt-in rule runs when configured, or when asked for by name
    if (rule.optIn && setting === undefined && !options.only?.has(rule.id)) continue;
    out.push({ rule, severity: setting ?? rule.defaultSeverity });
  }
  return out;
}

/**
 * Lints the migrations of a folder that `selected` accepts (all by default); the others are only
 * replayed into the schema model.
 */
export function lintFolder(
  folder: MigrationFolder,
  options: LintOptions,
  selected: (m: Migration) => boolean = () => true,
): Violation[] {
  const rules = activeRules(options);
  const catalog = new Catalog();
  const out: Violation[] = [];
  for (const m of folder.migrations) {
    if (selected(m))
      for (const v of lintMigrationWith(m, catalog, options, rules, folder)) out.push(v);
    else replayMigration(m, catalog);
  }
  return out;
}

/** Lints one migration against a catalog of what ran before it; the catalog moves past its UP. */
export function lintMigration(
  migration: Migration,
  catalog: Catalog,
  options: LintOptions,
  folder?: MigrationFolder,
): Violation[] {
  return lintMigrationWith(migration, catalog, options, activeRules(options), folder);
}

/** Applies a migration's UP sections to the catalog without linting. */
export function replayMigration(migration: Migration, catalog: Catalog): void {
  for (const s of migration.sections)
    if (s.kind === 'up')
      for (const st of s.parsed.statements) applyStatement(catalog, st, migration.id);
}

function lintMigrationWith(
  migration: Migration,
  catalog: Catalog,
  options: LintOptions,
  rules: ActiveRule[],
  folder?: MigrationFolder,
): Violation[] {
  const violations: Violation[] = [];
  const severityOf = new Map(rules.map((r) => [r.rule.id, r.severity]));
  const base: MigrationContext = {
    migration,
    folder,
    settings: options.settings,
    pgVersion: options.settings.pgVersion,
    report(rule: string, r: Report, file?: string) {
      const severity = severityOf.get(rule);
      if (!severity) return;
      violations.push({
        rule,
        severity,
        file: r.file ?? file ?? migration.files[0]?.path ?? '',
        start: r.start,
        end: r.end,
        message: r.message,
        help: r.help,
        fixes: r.fixes ?? [],
        related: r.related,
      });
    },
  };
  const newColumns = new TrackedMap<true>('newColumns');
  const ups = migration.sections.filter((s) => s.kind === 'up');
  const downs = migration.sections.filter((s) => s.kind === 'down');
  // missing-down offers a DOWN generated from the model as it was before the UP
  if (
    migration.formatHasDown &&
    downs.length === 0 &&
    rules.some((r) => r.rule.id === 'missing-down')
  )
    base.catalogBeforeUp = catalog.clone();
  // only asked for when there are sizes to weigh findings by
  const weights: StatementWeight[] | undefined = options.tableSizes?.size ? [] : undefined;
  // findings weighed by table size are changed in place: nothing is kept across lints then
  const journal = weights ? undefined : options.journal;
  journal?.begin(
    options.settings,
    rules.map((r) => r.rule),
    migration.id,
  );
  const dirty =
    journal && new Dirty(new Map([...catalog.trackedMaps(), newColumns].map((m) => [m.label, m])));
  ups.forEach((section, s) => {
    const steps: SectionJournal | undefined = journal &&
      dirty && {
        previous: journal.sections[s] ?? [],
        next: [],
        dirty,
        label: `later#${s}`,
        touched: journal.touching[s],
      };
    lintSection(section, catalog, base, rules, newColumns, violations, weights, steps);
    if (journal && steps) {
      journal.sections[s] = steps.next;
      journal.touching[s] = steps.touching;
    }
  });
  if (journal) journal.sections.length = journal.touching.length = ups.length;
  if (downs.length > 0) {
    const afterUp = catalog.clone();
    for (const section of downs)
      lintSection(section, afterUp, base, rules, newColumns, violations, weights);
  }
  for (const { rule } of rules) rule.checkMigration?.(base);
  if (weights) {
    const weighed = new Set(rules.filter((r) => r.rule.weighedBySize).map((r) => r.rule.id));
    weighViolations(violations, weights, options.tableSizes!, (id) => weighed.has(id));
  }
  return applyIgnores(migration, violations);
}

/** One UP section's part of a lint journal, for the lint of that section. */
interface SectionJournal {
  previous: readonly JournalStep[];
  next: JournalStep[];
  dirty: Dirty;
  /** Label of this section's later-statement facts, and those facts as the last lint saw them. */
  label: string;
  touched?: ReadonlyMap<string, readonly object[]>;
  /** Filled with this lint's. */
  touching?: ReadonlyMap<string, readonly object[]>;
}

function lintSection(
  section: Section,
  catalog: Catalog,
  base: MigrationContext,
  rules: ActiveRule[],
  newColumns: TrackedMap<true>,
  violations: Violation[],
  weights?: StatementWeight[],
  journal?: SectionJournal,
): void {
  const migrationId = base.migration.id;
  const sectionCtx: SectionContext = {
    ...base,
    // findings default to the section's own file (a DOWN can live in a file of its own)
    report: (rule: string, r: Report) => base.report(rule, r, section.file.path),
    section,
    file: section.file,
    catalogAtStart: catalog,
  };
  for (const { rule } of rules) rule.checkSection?.(sectionCtx);
  const statements = section.parsed.statements;
  const tx = initialTx(section, statements, base.settings);
  const session = new SessionTracker();
  const isNewTable = (key: string) => catalog.table(key)?.createdIn === migrationId;
  const isNewColumn = (key: string, column: string) =>
    isNewTable(key) || newColumns.has(`${key}.${column}`);
  // one context object per section, updated per statement: rules run synchronously and keep
  // no reference to it; previous/following are sliced only when a rule asks for them
  const ctx = Object.assign(Object.create(sectionCtx) as StatementContext, {
    isNewTable,
    isNewColumn,
    catalog,
  });
  let index = 0;
  // what a rule reads beyond its statement and the schema model makes its finding one to
  // work out again after every edit (the journal keeps only the others)
  let wide = false;
  ctx.sectionKind = section.kind;
  ctx.path = section.file.path;
  // which later statements can concern a table: read per table, so a finding that asks stays
  // one the journal keeps while those statements stay the same
  const laterFacts = new TrackedMap<true>(journal?.label ?? 'touching');
  ctx.usedLater = (tableKey: string, test: (s: Statement) => boolean) => {
    laterFacts.has(tableKey);
    for (const i of touching(statements).get(tableKey) ?? [])
      if (i > index && test(statements[i])) return true;
    return false;
  };
  if (journal) {
    const now = new Map<string, readonly object[]>();
    for (const [key, at] of touching(statements))
      now.set(
        key,
        at.map((i) => statements[i].ast as object),
      );
    const before = journal.touched;
    for (const [key, trees] of now) {
      const old = before?.get(key);
      if (!old || old.length !== trees.length || old.some((t, n) => t !== trees[n]))
        journal.dirty.mark(journal.label, key, true);
    }
    for (const key of before?.keys() ?? [])
      if (!now.has(key)) journal.dirty.mark(journal.label, key, true);
    journal.touching = now;
  }
  // an ignore comment at the statement's start reads only the text before it on its line
  let leadRead = false;
  ctx.disableForLine = (offset: number, rule: string) => {
    if (offset === ctx.stmt.start) leadRead = true;
    else wide = true;
    return disableForLine(section.file, offset, rule);
  };
  const seen = <T>(value: () => T) => ({
    get: () => {
      wide = true;
      return value();
    },
  });
  Object.defineProperties(ctx, {
    previous: seen(() => statements.slice(0, index)),
    following: seen(() => statements.slice(index + 1)),
    position: seen(() => index),
    section: seen(() => section),
    file: seen(() => section.file),
    migration: seen(() => base.migration),
    folder: seen(() => base.folder),
    catalogAtStart: seen(() => catalog),
    catalogBeforeUp: seen(() => base.catalogBeforeUp),
  });
  const pairs = journal && align(journal.previous, statements);
  const stepRec = journal && new Recorder();
  // the state before each statement, shared by the statements between two changes of it
  let txBefore: TxState = { ...tx };
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i];
    index = i;
    ctx.stmt = stmt;
    ctx.tx = txBefore;
    ctx.session = session.state();
    if (!journal || !pairs || !stepRec) {
      for (const { rule } of rules) rule.check?.(ctx);
      weights?.push(statementWeight(ctx));
      trackNewColumns(stmt, newColumns);
      applyStatement(catalog, stmt, migrationId);
    } else {
      if (i === pairs.at) for (const g of pairs.gone) journal.dirty.markAll(g.writes);
      const before = pairs.pairs[i];
      catalog.beginStatement();
      const dirty = journal.dirty;
      let step: Pick<JournalStep, 'ruleReads' | 'rerun' | 'found' | 'lead'>;
      const rulesKept =
        !!before &&
        sameTx(before.tx, ctx.tx) &&
        sameSession(before.session, ctx.session) &&
        dirty.clean(before.ruleReads) &&
        (before.lead === undefined || before.lead === leadOf(section.file, stmt.start));
      if (before && rulesKept) {
        const d = stmt.start - before.start;
        const found =
          d === 0 ? before.found : before.found.map((f) => ({ ...f, v: moved(f.v, d) }));
        // both lists are in rule order: merge them so findings come out as a full lint's do
        const { rerun } = before;
        for (let ri = 0, fi = 0; ri < rerun.length || fi < found.length;) {
          if (fi >= found.length || (ri < rerun.length && rerun[ri] < found[fi].rule))
            rules[rerun[ri++]].rule.check?.(ctx);
          else violations.push(found[fi++].v);
        }
        step = { ruleReads: before.ruleReads, rerun, found, lead: before.lead };
      } else {
        stepRec.clear();
        const rerun: number[] = [];
        const found: { rule: number; v: Violation }[] = [];
        const path = section.file.path;
        // the reads of rules that turn out to look further count too: it only costs reuse
        leadRead = false;
        const outer = record(stepRec);
        try {
          for (let r = 0; r < rules.length; r++) {
            const { rule } = rules[r];
            if (!rule.check) continue;
            wide = false;
            const from = violations.length;
            rule.check(ctx);
            let local = !wide;
            for (let k = from; local && k < violations.length; k++)
              local = withinStatement(violations[k], path, stmt.start, stmt.terminatorEnd);
            if (!local) rerun.push(r);
            else
              for (let k = from; k < violations.length; k++)
                found.push({ rule: r, v: violations[k] });
          }
        } finally {
          record(outer);
        }
        step = {
          ruleReads: readsOf(stepRec),
          rerun: rerun.length > 0 ? rerun : NO_RULES,
          found: found.length > 0 ? found : NO_FINDINGS,
          lead: leadRead ? leadOf(section.file, stmt.start) : undefined,
        };
      }
      let replayReads: JournalStep['replayReads'];
      let writes: JournalStep['writes'];
      const replayKept = !!before && dirty.clean(before.replayReads);
      if (before && replayKept) {
        dirty.redo(before.writes);
        replayReads = before.replayReads;
        writes = before.writes;
      } else {
        stepRec.clear();
        const outer = record(stepRec);
        try {
          trackNewColumns(stmt, newColumns);
          applyStatement(catalog, stmt, migrationId);
        } finally {
          record(outer);
        }
        replayReads = readsOf(stepRec);
        writes = dirty.settle(stepRec, before?.writes);
      }
      if (before && rulesKept && replayKept) {
        // the previous lint's step, moved: it is not used again once this lint is over
        before.start = stmt.start;
        before.end = stmt.terminatorEnd;
        before.tx = ctx.tx;
        before.session = ctx.session;
        before.found = step.found;
        before.lead = step.lead;
        journal.next.push(before);
      } else
        journal.next.push({
          tree: stmt.ast,
          start: stmt.start,
          end: stmt.terminatorEnd,
          tx: ctx.tx,
          session: ctx.session,
          replayReads,
          writes,
          ...step,
        });
    }
    if (stmt.kind === 'TransactionStmt') {
      advanceTx(tx, stmt, section);
      txBefore = { ...tx };
    }
    session.advance(stmt, tx);
  }
  if (journal && pairs && pairs.at >= statements.length)
    for (const g of pairs.gone) journal.dirty.markAll(g.writes);
}

const NO_RULES: readonly number[] = Object.freeze([]);

/** The file's line break and the text before `offset` on its line: what an ignore comment reads. */
function leadOf(file: SourceFile, offset: number): string {
  const lineStart = file.index.lineStart(file.index.lineAt(offset));
  return `${lineBreakOf(file.text)}\0${file.text.slice(lineStart, offset)}`;
}
const NO_FINDINGS: JournalStep['found'] = Object.freeze([]);

function initialTx(section: Section, statements: Statement[], settings: Settings): TxState {
  switch (section.transaction) {
    case 'transaction':
      return { inTransaction: true, explicit: false, reason: section.transactionSource };
    case 'single-query':
      return statements.length > 1
        ? {
            inTransaction: true,
            explicit: false,
            reason: `the runner sends the file as one query string, so its ${statements.length} statements run in one implicit transaction`,
          }
        : { inTransaction: false, explicit: false, reason: section.transactionSource };
    case 'auto': {
      const transactional = statements.some(
        (s) => !isNonTransactional(s, settings.pgVersion) && !isTxControl(s),
      );
      return transactional
        ? {
            inTransaction: true,
            explicit: false,
            reason: `${section.transactionSource}: this migration has transactional statements, so it runs in a transaction`,
          }
        : { inTransaction: false, explicit: false, reason: section.transactionSource };
    }
    case 'none':
      return settings.assumeInTransaction &&
        section.file &&
        section.transactionSource.startsWith('unknown')
        ? { inTransaction: true, explicit: false, reason: 'assumeInTransaction is set' }
        : { inTransaction: false, explicit: false, reason: section.transactionSource };
  }
}

function isTxControl(s: Statement): boolean {
  return s.kind === 'TransactionStmt';
}

function advanceTx(tx: TxState, stmt: Statement, section: Section): void {
  if (stmt.kind !== 'TransactionStmt') return;
  const kind: string = stmt.ast.kind;
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
    tx.inTransaction = true;
    tx.explicit = true;
    tx.reason = 'an explicit BEGIN opened a transaction';
  } else if (
    kind === 'TRANS_STMT_COMMIT' ||
    kind === 'TRANS_STMT_ROLLBACK' ||
    kind === 'TRANS_STMT_PREPARE'
  ) {
    tx.explicit = false;
    if (section.transaction === 'single-query' && section.parsed.statements.length > 1) {
      // in one multi-statement query string, what follows a COMMIT runs in a new implicit
      // transaction block
      tx.inTransaction = true;
      tx.reason =
        'the runner sends the file as one query string: after COMMIT the remaining statements run in a new implicit transaction';
    } else {
      tx.inTransaction = false;
      tx.reason = 'after COMMIT, statements run in autocommit';
    }
  }
}

class SessionTracker {
  private lock: SessionState['lockTimeout'] = 'unset';
  private stmtTimeout: SessionState['statementTimeout'] = 'unset';
  private lockLocal = false;
  private stmtLocal = false;

  private current: SessionState | undefined;

  /** The state now, the same object until it changes. */
  state(): SessionState {
    const c = this.current;
    if (c && c.lockTimeout === this.lock && c.statementTimeout === this.stmtTimeout) return c;
    return (this.current = { lockTimeout: this.lock, statementTimeout: this.stmtTimeout });
  }

  advance(stmt: Statement, tx: TxState): void {
    if (stmt.kind === 'TransactionStmt' && /COMMIT|ROLLBACK|PREPARE/.test(String(stmt.ast.kind))) {
      if (this.lockLocal) this.lock = 'unset';
      if (this.stmtLocal) this.stmtTimeout = 'unset';
      this.lockLocal = this.stmtLocal = false;
      return;
    }
    if (stmt.kind !== 'VariableSetStmt') return;
    const a = stmt.ast;
    const name: string | undefined = a.name;
    // SET LOCAL outside a transaction block does nothing (PostgreSQL only warns)
    if (a.is_local && !tx.inTransaction) return;
    const value = settingValue(a);
    if (name === 'lock_timeout') {
      this.lock = value;
      this.lockLocal = !!a.is_local;
    } else if (name === 'statement_timeout') {
      this.stmtTimeout = value;
      this.stmtLocal = !!a.is_local;
    } else if (a.kind === 'VAR_RESET_ALL') {
      this.lock = this.stmtTimeout = 'unset';
    }
  }
}

function settingValue(a: Statement['ast']): 'set' | 'unset' | 'disabled' {
  if (a.kind === 'VAR_RESET' || a.kind === 'VAR_SET_DEFAULT') return 'unset';
  const arg = a.args?.[0]?.A_Const;
  const v = arg?.ival?.ival ?? arg?.sval?.sval ?? (arg?.ival ? 0 : undefined);
  if (v === 0 || v === '0' || (typeof v === 'string' && /^0\s*[a-z]*$/i.test(v))) return 'disabled';
  return 'set';
}

function trackNewColumns(stmt: Statement, newColumns: TrackedMap<true>): void {
  if (stmt.kind !== 'AlterTableStmt') return;
  const key = relKey(rangeVarName(stmt.ast.relation));
  for (const c of stmt.ast.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef?.colname)
      newColumns.set(`${key}.${cmd.def.ColumnDef.colname}`, true);
  }
}
