/**
 * The fix shared by the rules that want a constraint added NOT VALID and validated later
 * (foreign keys, CHECK, PostgreSQL 18 NOT NULL, and the SET NOT NULL recipe): name the constraint
 * the way PostgreSQL would, add NOT VALID, and run VALIDATE CONSTRAINT in another transaction —
 * right after the statement when the section runs in autocommit, else in a follow-up migration.
 * Validating in the same transaction would hold the first lock through the scan and gain nothing.
 */
import type { Catalog } from '../schema/catalog';
import {
  constraintNameParts,
  pgObjectName,
  qualifiedIdent,
  quoteIdent,
  rangeVarName,
  relKey,
} from '../parser/ast';
import type { Ast } from '../parser/parse';
import { alterCommandRange } from './alterText';
import { insertAfterStatement, mergeInserts } from './afterStatement';
import { followUpMigration, insert, slug } from './fixes';
import type { Edit, Fix, StatementContext } from './types';

/** A constraint name PostgreSQL would choose, numbered past names the table already has. */
export function freshConstraintName(
  catalog: Catalog,
  tableKey: string,
  table: string,
  columns: string[],
  label: string,
): string {
  const taken = catalog.table(tableKey)?.constraints;
  for (let pass = 0; ; pass++) {
    const name = pgObjectName(table, columns.join('_'), pass ? `${label}${pass}` : label);
    if (!taken?.has(name)) return name;
  }
}

/** The name PostgreSQL gives an unnamed CHECK / FOREIGN KEY / NOT NULL table constraint. */
export function defaultConstraintName(
  catalog: Catalog,
  tableKey: string,
  table: string,
  con: Ast,
): string | undefined {
  const parts = constraintNameParts(con);
  return parts && freshConstraintName(catalog, tableKey, table, parts.columns, parts.label);
}

export interface Later {
  edits: Edit[];
  /** Where the statements go, for fix titles ("after this statement", "in a new migration …"). */
  where: string;
}

/**
 * Places statements so that `later` runs in a transaction of its own after the current statement:
 * right after it in autocommit, else in a transactional follow-up migration. `now` goes right
 * after the statement in either case. Undefined when neither is possible (stdin inside a
 * transaction, a DOWN section).
 */
export function placeLater(
  ctx: StatementContext,
  later: string[],
  now: string[] = [],
): Later | undefined {
  const { section } = ctx;
  const after = (sql: string[]) => insertAfterStatement(ctx, sql);
  const autocommit =
    !ctx.tx.inTransaction &&
    section.transaction !== 'single-query' &&
    section.transaction !== 'auto';
  if (autocommit) return { edits: [after([...now, ...later])], where: 'after this statement' };
  if (section.kind !== 'up') return undefined;
  // one name per migration: two fixes applied in one --fix pass then claim the same new file
  // (the second waits for the next pass) instead of two files with the same version
  const moved = followUpMigration(ctx.folder, ctx.migration, {
    name: slug(`${ctx.migration.name}_validate`),
    up: later.join('\n'),
    transactional: true,
  });
  if (!moved) return undefined;
  return {
    edits: [...(now.length ? [after(now)] : []), ...moved.edits],
    where: `in a new migration ${moved.label}`,
  };
}

export function validateSql(relation: Ast, name: string): string {
  return `ALTER TABLE ${qualifiedIdent(rangeVarName(relation))} VALIDATE CONSTRAINT ${quoteIdent(name)};`;
}

/**
 * NOT VALID for the table constraint `con` of `ast.cmds[cmdIndex]` (naming it when unnamed, so
 * the later VALIDATE can find it), with the VALIDATE placed by placeLater.
 */
export function notValidFix(ctx: StatementContext, cmdIndex: number, con: Ast): Fix | undefined {
  const { stmt, file } = ctx;
  const cmd = alterCommandRange(file, stmt, cmdIndex);
  if (!cmd) return undefined;
  const conStart = stmt.offsetOf(con.location);
  if (conStart < cmd.start || conStart >= cmd.end) return undefined;
  const rel = rangeVarName(stmt.ast.relation);
  const name: string | undefined =
    con.conname ?? defaultConstraintName(ctx.catalog, relKey(rel), rel.name, con);
  if (!name) return undefined;
  const later = placeLater(ctx, [validateSql(stmt.ast.relation, name)]);
  if (!later) return undefined;
  const edits: Edit[] = [];
  if (!con.conname) edits.push(insert(file, conStart, `CONSTRAINT ${quoteIdent(name)} `));
  edits.push(insert(file, cmd.end, ' NOT VALID'), ...later.edits);
  return {
    title: `Add NOT VALID and VALIDATE CONSTRAINT ${name} ${later.where}`,
    preferred: true,
    edits: mergeInserts(edits),
  };
}
