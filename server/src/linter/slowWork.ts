/**
 * Whether a statement does work that grows with the size of an existing table: a scan, a
 * rewrite, an index build, a copy or a change to every row. Such work is what turns a held lock
 * into an outage, so the lock-window and timeout rules ask for it. Judged from the parse tree and
 * the schema model; when the model does not know (an unknown column type), the answer says "may".
 */
import { columnConstraints, isSerialType, rangeVarName, relKey, typeRef } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { boundCheckOf } from './partitionCheck';
import { isNewMatview, shortName } from './lockWindow';
import { isSafeTypeChange } from './typeChange';
import type { StatementContext } from './types';
import { defaultVolatility, isNullConstant } from './volatility';

export interface SlowWork {
  /** Verb phrase: "rewrites users", "scans every row of users". */
  description: string;
  /** The table the work is done on (schema.name). */
  table: string;
  /** What the time it takes grows with: writing the table anew, building an index, reading it. */
  kind: WorkKind;
}

export type WorkKind = 'rewrite' | 'index' | 'scan';

export function slowWork(ctx: StatementContext): SlowWork | undefined {
  const w = work(ctx);
  return w && { ...w, kind: kindOf(w.description) };
}

/** The verb of the description says it: "rewrites", "builds an index", "scans every row". */
function kindOf(description: string): WorkKind {
  if (/^(builds|rebuilds)\b/.test(description)) return 'index';
  if (/^(scans|checks|copies)\b/.test(description)) return 'scan';
  return 'rewrite';
}

function work(ctx: StatementContext): Omit<SlowWork, 'kind'> | undefined {
  const { stmt } = ctx;
  const a = stmt.ast;
  const existing = (key: string) => !ctx.isNewTable(key) && !isNewMatview(ctx, key);
  const on = (rv: Ast) => relKey(rangeVarName(rv));
  switch (stmt.kind) {
    case 'IndexStmt': {
      const t = on(a.relation);
      return existing(t)
        ? { description: `builds an index on ${shortName(t)}`, table: t }
        : undefined;
    }
    case 'ReindexStmt': {
      if (!a.relation) return undefined;
      const t = on(a.relation);
      return existing(t)
        ? { description: `rebuilds indexes of ${shortName(t)}`, table: t }
        : undefined;
    }
    case 'ClusterStmt': {
      if (!a.relation) return { description: 'rewrites every clustered table', table: '' };
      const t = on(a.relation);
      return existing(t) ? { description: `rewrites ${shortName(t)}`, table: t } : undefined;
    }
    case 'VacuumStmt': {
      if (!isVacuumFull(a)) return undefined;
      const rels: Ast[] = a.rels ?? [];
      if (rels.length === 0) return { description: 'rewrites every table', table: '' };
      const t = on(rels[0].VacuumRelation?.relation);
      return existing(t) ? { description: `rewrites ${shortName(t)}`, table: t } : undefined;
    }
    case 'RefreshMatViewStmt': {
      const t = on(a.relation);
      if (a.skipData || !existing(t)) return undefined;
      return { description: `recomputes materialized view ${shortName(t)}`, table: t };
    }
    case 'AlterTableStmt':
      return alterWork(ctx, existing);
    case 'UpdateStmt':
    case 'DeleteStmt': {
      const whole = wholeTableChange(ctx);
      return whole && { description: whole.description, table: whole.table };
    }
    case 'InsertStmt':
    case 'CreateTableAsStmt': {
      const source = copiedFrom(ctx, stmt.kind === 'InsertStmt' ? a.selectStmt : a.query);
      return source
        ? { description: `copies rows of ${shortName(source)}`, table: source }
        : undefined;
    }
    default:
      return undefined;
  }
}

export function isVacuumFull(a: Ast): boolean {
  if (!a.is_vacuumcmd) return false;
  return (a.options ?? []).some((o: Ast) => {
    const d = o.DefElem;
    if (d?.defname !== 'full') return false;
    const arg = d.arg;
    if (!arg) return true;
    const v = arg.Boolean?.boolval ?? arg.String?.sval ?? arg.Integer?.ival;
    return !(v === false || v === 0 || /^(false|off|0)$/i.test(String(v)));
  });
}

function alterWork(
  ctx: StatementContext,
  existing: (key: string) => boolean,
): Omit<SlowWork, 'kind'> | undefined {
  const { stmt } = ctx;
  const key = relKey(rangeVarName(stmt.ast.relation));
  const name = shortName(key);
  if (stmt.ast.objtype && stmt.ast.objtype !== 'OBJECT_TABLE') return undefined;
  for (const c of stmt.ast.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === 'AT_AttachPartition') {
      const child = relKey(rangeVarName(cmd.def?.PartitionCmd?.name));
      if (existing(child) && !boundCheckOf(ctx.catalog, child, key))
        return { description: `scans partition ${shortName(child)}`, table: child };
      continue;
    }
    if (!existing(key)) continue;
    const d = alterCommandWork(ctx, key, cmd);
    if (d) return { description: `${d} ${name}`, table: key };
  }
  return undefined;
}

/** "rewrites" / "scans every row of" / "builds an index on" for one ALTER TABLE subcommand. */
function alterCommandWork(ctx: StatementContext, key: string, cmd: Ast): string | undefined {
  switch (cmd.subtype) {
    case 'AT_AddConstraint': {
      const con = cmd.def?.Constraint;
      switch (con?.contype) {
        case 'CONSTR_CHECK':
        case 'CONSTR_FOREIGN':
          return con.skip_validation ? undefined : 'checks every row of';
        case 'CONSTR_UNIQUE':
        case 'CONSTR_PRIMARY':
          return con.indexname ? undefined : 'builds an index on';
        case 'CONSTR_EXCLUSION':
          return 'builds an exclusion index on';
        default:
          return undefined;
      }
    }
    case 'AT_ValidateConstraint':
      return 'scans every row of';
    case 'AT_SetNotNull': {
      const col: string = cmd.name;
      if (ctx.isNewColumn(key, col) || ctx.catalog.column(key, col)?.notNull) return undefined;
      if (ctx.pgVersion >= 12 && ctx.catalog.validatedNotNullCheck(key, col)) return undefined;
      return 'scans every row of';
    }
    case 'AT_AlterColumnType': {
      const col: string = cmd.name;
      const def = cmd.def?.ColumnDef;
      if (!def?.typeName || ctx.isNewColumn(key, col)) return undefined;
      const from = ctx.catalog.column(key, col)?.type;
      if (!from) return 'may rewrite';
      return def.raw_default || !isSafeTypeChange(from, typeRef(def.typeName))
        ? 'rewrites'
        : undefined;
    }
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      if (!def) return undefined;
      if (isSerialType(def.typeName)) return 'rewrites';
      const cons = columnConstraints(def);
      if (cons.some((k) => k.contype === 'CONSTR_IDENTITY' || k.contype === 'CONSTR_GENERATED'))
        return 'rewrites';
      const dflt = cons.find((k) => k.contype === 'CONSTR_DEFAULT');
      if (!dflt || isNullConstant(dflt.raw_expr)) return undefined;
      return ctx.pgVersion < 11 || defaultVolatility(dflt.raw_expr).volatile
        ? 'rewrites'
        : undefined;
    }
    case 'AT_SetTableSpace':
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
      return 'rewrites';
    default:
      return undefined;
  }
}

export interface WholeTableChange {
  verb: 'updates' | 'deletes';
  table: string;
  description: string;
  /** Why every row is touched, for messages. */
  reason: string;
}

/**
 * UPDATE or DELETE that touches every row of an existing table: no WHERE clause, or a WHERE that
 * only asks for NULL in columns added earlier in this migration (every existing row is NULL
 * there). A WHERE that filters otherwise could select any number of rows and is not judged.
 */
export function wholeTableChange(ctx: StatementContext): WholeTableChange | undefined {
  const { stmt } = ctx;
  if (stmt.kind !== 'UpdateStmt' && stmt.kind !== 'DeleteStmt') return undefined;
  const a = stmt.ast;
  if (!a.relation) return undefined;
  const key = relKey(rangeVarName(a.relation));
  if (ctx.isNewTable(key)) return undefined;
  const verb = stmt.kind === 'UpdateStmt' ? 'updates' : 'deletes';
  const what = verb === 'updates' ? `updates every row of` : `deletes every row of`;
  const description = `${what} ${shortName(key)}`;
  if (!a.whereClause) return { verb, table: key, description, reason: 'it has no WHERE clause' };
  const cols = nullTestsOnly(a.whereClause);
  if (cols && cols.length > 0 && cols.every((c) => ctx.isNewColumn(key, c)))
    return {
      verb,
      table: key,
      description,
      reason: `its WHERE only looks for NULL in ${cols.join(', ')}, which this migration adds: every existing row matches`,
    };
  return undefined;
}

/** Columns of a WHERE made only of `col IS NULL` tests joined by AND/OR; else undefined. */
function nullTestsOnly(e: Ast): string[] | undefined {
  if (e?.NullTest?.nulltesttype === 'IS_NULL') {
    const f = e.NullTest.arg?.ColumnRef?.fields;
    const name = f?.[f.length - 1]?.String?.sval;
    return name ? [name] : undefined;
  }
  if (e?.BoolExpr && e.BoolExpr.boolop !== 'NOT_EXPR') {
    const out: string[] = [];
    for (const arg of e.BoolExpr.args ?? []) {
      const cols = nullTestsOnly(arg);
      if (!cols) return undefined;
      out.push(...cols);
    }
    return out;
  }
  return undefined;
}

/** An existing table a SELECT reads from with no WHERE (a bulk copy), if any. */
function copiedFrom(ctx: StatementContext, select: Ast): string | undefined {
  const s = select?.SelectStmt;
  if (!s || s.whereClause || s.limitCount) return undefined;
  for (const f of s.fromClause ?? []) {
    const rv = f.RangeVar;
    if (!rv) continue;
    const key = relKey(rangeVarName(rv));
    if (ctx.catalog.table(key) && !ctx.isNewTable(key)) return key;
  }
  return undefined;
}
