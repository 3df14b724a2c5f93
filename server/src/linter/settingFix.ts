/**
 * A fix that sets a session setting (statement_timeout, idle_in_transaction_session_timeout) for
 * the statements of a section, the way require-lock-timeout sets lock_timeout: SET LOCAL at the
 * section start when the runner's transaction covers every statement (SET LOCAL outside a
 * transaction block does nothing), else SET at the start and RESET at the end. When the section
 * changes the setting itself, or when a section-wide value would also cut off statements that
 * must be allowed to run long, the SET goes right before the statement instead.
 */
import type { Section } from '../folder/model';
import type { Statement } from '../parser/parse';
import { lineBreakOf } from '../text/positions';
import { insert } from './fixes';
import { isNonTransactional } from './statementFacts';
import { insertionLineBefore, insertionPointAfter } from './statementBlock';
import { sendsStatementsSeparately } from './followUpModes';
import type { Fix, StatementContext } from './types';

export interface SettingFixOptions {
  /** Setting name as PostgreSQL spells it. */
  name: string;
  /** Quoted value, e.g. `'5s'`. */
  value: string;
  /** Set it only around this statement when the section has non-transactional statements. */
  narrowAroundLongStatements?: boolean;
}

const facts = new WeakMap<Section, Map<string, SectionFacts>>();

interface SectionFacts {
  nonTransactional: boolean;
  hasTxControl: boolean;
  touches: boolean;
}

function factsOf(section: Section, name: string): SectionFacts {
  let byName = facts.get(section);
  if (!byName) facts.set(section, (byName = new Map()));
  let f = byName.get(name);
  if (!f) {
    const statements = section.parsed.statements;
    f = {
      nonTransactional: statements.some((s) => isNonTransactional(s)),
      hasTxControl: statements.some((s) => s.kind === 'TransactionStmt'),
      touches: statements.some((s) => touchesSetting(s, name)),
    };
    byName.set(name, f);
  }
  return f;
}

/** SET/RESET of the setting, or RESET ALL. */
export function touchesSetting(s: Statement, name: string): boolean {
  return s.kind === 'VariableSetStmt' && (s.ast.name === name || s.ast.kind === 'VAR_RESET_ALL');
}

export function setSettingFix(ctx: StatementContext, o: SettingFixOptions): Fix | undefined {
  const { section, file, stmt } = ctx;
  const f = factsOf(section, o.name);
  // SET/RESET make a lone statement a multi-statement string, which runs in a transaction block;
  // in Flyway they make a non-transactional migration a mixed one, which Flyway refuses
  if (
    (!sendsStatementsSeparately(ctx.migration.format, section) || section.transaction === 'auto') &&
    f.nonTransactional
  )
    return undefined;
  const local = !f.hasTxControl && ctx.tx.inTransaction && !ctx.tx.explicit;
  const nl = lineBreakOf(file.text);
  const set = `SET${local ? ' LOCAL' : ''} ${o.name} = ${o.value};`;
  const around = f.touches || (!local && !!o.narrowAroundLongStatements && f.nonTransactional);
  if (around) {
    // outside a goose StatementBegin block around the statement (one query string)
    const line = insertionLineBefore(file, stmt);
    const ownLine = line === file.index.lineStart(file.index.lineAt(stmt.start));
    const indent = line !== undefined && ownLine ? file.text.slice(line, stmt.start) : '';
    const edits = [
      line === undefined
        ? insert(file, stmt.start, `${set} `)
        : insert(file, line, `${indent}${set}${nl}`),
    ];
    if (!local) {
      const after = insertionPointAfter(file, stmt);
      const semi = after === stmt.terminatorEnd ? terminator(ctx, stmt) : '';
      edits.push(insert(file, after, `${semi}${nl}${indent}RESET ${o.name};`));
    }
    return {
      title: local
        ? `Add SET LOCAL ${o.name} = ${o.value} before the statement`
        : `Add SET ${o.name} = ${o.value} before the statement and RESET it after`,
      preferred: true,
      edits,
    };
  }
  const statements = section.parsed.statements;
  const at = section.start;
  const lead = section.marker && at === section.marker.end ? nl : '';
  const edits = [insert(file, at, `${lead}${set}${nl}`)];
  if (!local) {
    const last = statements[statements.length - 1];
    const after = insertionPointAfter(file, last);
    const semi = after === last.terminatorEnd ? terminator(ctx, last) : '';
    edits.push(insert(file, after, `${semi}${nl}RESET ${o.name};`));
  }
  return {
    title: local
      ? `Add SET LOCAL ${o.name} = ${o.value} at the start of the section`
      : `Add SET ${o.name} = ${o.value} at the start of the section and RESET it at the end`,
    preferred: true,
    edits,
  };
}

/** A semicolon when the statement has none, so that text can follow it. */
function terminator(ctx: StatementContext, s: Statement): string {
  return ctx.file.text[s.terminatorEnd - 1] === ';' ? '' : ';';
}

/**
 * Whether the setting is in force (set to something other than 0) when the current statement
 * runs, judged from the section's earlier statements.
 */
export function settingInForce(ctx: StatementContext, name: string): boolean {
  let on = false;
  let local = false;
  const statements = ctx.section.parsed.statements;
  const mode = ctx.section.transaction;
  const implicit = mode === 'single-query' && statements.length > 1;
  // the runner's transaction (if any) is the one the section starts in
  let inTx = mode === 'transaction' || mode === 'auto' || implicit;
  for (let i = 0; i < ctx.position; i++) {
    const s = statements[i];
    if (s.kind === 'TransactionStmt') {
      const k: string = s.ast.kind;
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') inTx = true;
      else if (/COMMIT|ROLLBACK|PREPARE/.test(k)) {
        if (local) on = false;
        local = false;
        inTx = implicit;
      }
      continue;
    }
    if (!touchesSetting(s, name)) continue;
    if (s.ast.is_local && !inTx) continue;
    on = isNonZeroSet(s);
    local = !!s.ast.is_local;
  }
  return on;
}

function isNonZeroSet(s: Statement): boolean {
  const a = s.ast;
  if (a.kind !== 'VAR_SET_VALUE') return false;
  const arg = a.args?.[0]?.A_Const;
  const v = arg?.ival?.ival ?? arg?.sval?.sval ?? (arg?.ival ? 0 : undefined);
  return !(v === 0 || v === undefined || (typeof v === 'string' && /^\s*0\s*[a-z]*\s*$/i.test(v)));
}
