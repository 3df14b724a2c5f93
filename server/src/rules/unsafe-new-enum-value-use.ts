/**
 * unsafe-new-enum-value-use: from PostgreSQL 12, ALTER TYPE … ADD VALUE may run in a transaction,
 * but the new value cannot be used until that transaction commits: PostgreSQL raises "unsafe use
 * of new value" and the migration fails. A statement later in the same transaction counts as a
 * use when it contains the value as a literal and involves the type: it names it, or it touches a
 * table that has a column of that type. Types created in the same migration are exempt (PostgreSQL
 * allows values of a type created in the same transaction). The fix ends the transaction before
 * the first use: that statement and the rest of the section move to a migration of their own.
 */
import { memoByTree } from '../parser/treeMemo';
import { listName, relKey, walkAst } from '../parser/ast';
import type { Statement } from '../parser/parse';
import type { Section } from '../folder/model';
import { disableForLine } from '../linter/fixes';
import { transactionStart } from '../linter/lockWindow';
import { splitSectionAt } from '../linter/splitMigration';
import type { Fix, Rule, StatementContext } from '../linter/types';

interface Added {
  stmt: Statement;
  index: number;
  typeKey: string;
  typeName: string;
  value: string;
}

export const rule: Rule = {
  id: 'unsafe-new-enum-value-use',
  summary:
    'An enum value added in this transaction is used before COMMIT: PostgreSQL raises "unsafe use of new value".',
  defaultSeverity: 'error',
  check(ctx) {
    if (ctx.pgVersion < 12 || !ctx.tx.inTransaction) return;
    const { stmt } = ctx;
    if (stmt.kind === 'AlterEnumStmt' || stmt.kind === 'TransactionStmt') return;
    if (addValueStatements(ctx.section).length === 0) return;
    const added = addedValues(ctx);
    if (added.length === 0) return;
    const hit = added.find((a) => uses(ctx, stmt, a));
    if (!hit) return;
    const { file } = ctx;
    const line = file.index.lineAt(hit.stmt.start) + 1;
    const fix = splitFix(ctx, hit);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This statement uses '${hit.value}', which ALTER TYPE ${hit.typeName} ADD VALUE added on line ${line} in the same transaction: PostgreSQL rejects it with "unsafe use of new value" until that transaction commits, so the migration fails.`,
      help: 'Commit after ADD VALUE before using the value: put the statements that use it in a migration of their own (or after an explicit COMMIT).',
      related: [
        {
          file: file.path,
          start: hit.stmt.start,
          end: hit.stmt.end,
          message: `'${hit.value}' added here`,
        },
      ],
      fixes: [...(fix ? [fix] : []), disableForLine(file, stmt.start, this.id)],
    });
  },
};

const addValuesBySection = new WeakMap<Section, Added[]>();

/** The section's ADD VALUE statements (most sections have none). */
function addValueStatements(section: Section): Added[] {
  let v = addValuesBySection.get(section);
  if (!v) {
    v = [];
    section.parsed.statements.forEach((s, index) => {
      if (s.kind !== 'AlterEnumStmt' || s.ast.oldVal || !s.ast.newVal) return;
      const name = listName(s.ast.typeName);
      v!.push({ stmt: s, index, typeKey: relKey(name), typeName: name.name, value: s.ast.newVal });
    });
    addValuesBySection.set(section, v);
  }
  return v;
}

/**
 * Enum values added by ADD VALUE earlier in the current transaction (to types not new) that the
 * statement holds as literals.
 */
function addedValues(ctx: StatementContext): Added[] {
  const constants = stringConstants(ctx.stmt);
  if (constants.size === 0) return [];
  const out: Added[] = [];
  const start = transactionStart(ctx);
  for (const a of addValueStatements(ctx.section)) {
    if (a.index < start || a.index >= ctx.position || !constants.has(a.value)) continue;
    if (ctx.catalog.types.get(a.typeKey)?.createdIn === ctx.migration.id) continue;
    out.push(a);
  }
  return out;
}

/** Whether `s` holds the value as a literal and involves its type. */
function uses(ctx: StatementContext, s: Statement, a: Added): boolean {
  if (!stringConstants(s).has(a.value)) return false;
  let namesType = false;
  const tables: string[] = [];
  walkAst(s.ast, (k, v) => {
    if (k === 'TypeName' || k === 'typeName') {
      const list = Array.isArray(v) ? v : v.names;
      if (Array.isArray(list) && listName(list).name === a.typeName) namesType = true;
    } else if (k === 'relation' || k === 'RangeVar') {
      if (typeof v.relname === 'string')
        tables.push(relKey({ schema: v.schemaname, name: v.relname }));
    }
  });
  if (namesType) return true;
  return tables.some((t) =>
    [...(ctx.catalog.table(t)?.columns.values() ?? [])].some(
      (c) => c.type.name === a.typeName && (c.type.schema ?? 'public') === a.typeKey.split('.')[0],
    ),
  );
}

// every statement after an ADD VALUE is asked about each added value: its literals are read once
const stringConstants = memoByTree((s: Statement): ReadonlySet<string> => {
  const out = new Set<string>();
  walkAst(s.ast, (k, v) => {
    if (k === 'A_Const' && typeof v.sval?.sval === 'string') out.add(v.sval.sval);
  });
  return out;
});

function splitFix(ctx: StatementContext, a: Added): Fix | undefined {
  if (ctx.tx.explicit) return undefined;
  const statements = ctx.section.parsed.statements;
  let first = ctx.position;
  for (let i = a.index + 1; i < ctx.position; i++)
    if (uses(ctx, statements[i], a)) {
      first = i;
      break;
    }
  const split = splitSectionAt(ctx, first, 'use_new_value');
  if (!split) return undefined;
  return {
    title: `Commit before the first use: move it and the rest of the section to a new migration ${split.label}`,
    preferred: true,
    edits: split.edits,
  };
}
