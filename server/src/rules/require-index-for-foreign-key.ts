/**
 * require-index-for-foreign-key: a foreign key whose columns no index leads with. Every DELETE of
 * a referenced row, and every UPDATE of its key, makes PostgreSQL look for referencing rows —
 * with a sequential scan of the referencing table when there is no such index, while it holds row
 * locks; ON DELETE CASCADE turns each parent delete into that scan plus the deletes. An index
 * created by the same migration or any later one in the folder counts, as do primary keys and
 * unique constraints that lead with the columns.
 */
import {
  columnConstraints,
  pgObjectName,
  qualifiedIdent,
  quoteIdent,
  rangeVarName,
  relKey,
  stringList,
} from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { memoByTree } from '../parser/treeMemo';
import type { Migration, MigrationFolder, Section } from '../folder/model';
import { followUpMigration, insert, slug } from '../linter/fixes';
import { insertionPointAfter } from '../linter/statementBlock';
import { lineBreakOf } from '../text/positions';
import { followUpRunsOutsideTransaction, sendsStatementsSeparately } from '../linter/followUpModes';
import { shortName } from '../linter/lockWindow';
import type { Edit, Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-index-for-foreign-key',
  summary:
    'A foreign key whose columns no index leads with: deletes and key updates on the referenced table scan this one.',
  defaultSeverity: 'info',
  check(ctx) {
    for (const fk of foreignKeys(ctx.stmt)) {
      // after dynamic SQL (a DO block with EXECUTE) an index may exist that the model cannot see;
      // a table this migration creates has only the indexes this migration shows
      const isNew = ctx.stmt.kind === 'CreateStmt' || ctx.isNewTable(fk.table);
      if (ctx.catalog.opaque && !isNew) continue;
      if (covered(ctx, fk)) continue;
      const table = shortName(fk.table);
      const cols = fk.columns.join(', ');
      const fix = indexFix(ctx, fk);
      const start = ctx.stmt.offsetOf(fk.location);
      const inside = start >= ctx.stmt.start && start < ctx.stmt.end;
      ctx.report(this.id, {
        start: inside ? start : ctx.stmt.start,
        end: ctx.stmt.end,
        message: `No index on ${table} (${cols}) backs this foreign key to ${shortName(fk.references)}: every DELETE on ${shortName(fk.references)} (and every update of its key) scans ${table} for referencing rows.`,
        help: `Create an index on ${table} (${cols}) — CONCURRENTLY if ${table} already has rows — unless ${shortName(fk.references)} rows are never deleted or re-keyed.`,
        fixes: [...(fix ? [fix] : []), ctx.disableForLine(ctx.stmt.start, this.id)],
      });
    }
  },
};

interface ForeignKey {
  table: string;
  relation: Ast;
  columns: string[];
  references: string;
  location: number | undefined;
  /** Index-backed column lists the same statement creates (PRIMARY KEY, UNIQUE). */
  ownIndexes: string[][];
}

// a pure function of the tree, asked on every lint
const foreignKeys = memoByTree((stmt: Statement): readonly ForeignKey[] => {
  const a = stmt.ast;
  const out: ForeignKey[] = [];
  const add = (relation: Ast, con: Ast, columns: string[], own: string[][]) => {
    if (con?.contype !== 'CONSTR_FOREIGN' || !con.pktable || columns.length === 0) return;
    out.push({
      table: relKey(rangeVarName(relation)),
      relation,
      columns,
      references: relKey(rangeVarName(con.pktable)),
      location: con.location,
      ownIndexes: own,
    });
  };
  if (stmt.kind === 'CreateStmt') {
    if (a.partbound) return out;
    const own: string[][] = [];
    for (const e of a.tableElts ?? []) {
      if (e.ColumnDef)
        for (const c of columnConstraints(e.ColumnDef))
          if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE')
            own.push([e.ColumnDef.colname]);
      const c = e.Constraint;
      if (c && (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') && !c.indexname)
        own.push(stringList(c.keys));
    }
    for (const e of a.tableElts ?? []) {
      if (e.ColumnDef)
        for (const c of columnConstraints(e.ColumnDef))
          add(a.relation, c, [e.ColumnDef.colname], own);
      else if (e.Constraint) add(a.relation, e.Constraint, stringList(e.Constraint.fk_attrs), own);
    }
  } else if (stmt.kind === 'AlterTableStmt') {
    for (const w of a.cmds ?? []) {
      const cmd = w.AlterTableCmd;
      if (cmd?.subtype === 'AT_AddConstraint')
        add(a.relation, cmd.def?.Constraint, stringList(cmd.def?.Constraint?.fk_attrs), []);
      else if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
        const def = cmd.def.ColumnDef;
        const cons = columnConstraints(def);
        const own = cons.some(
          (c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE',
        )
          ? [[def.colname as string]]
          : [];
        for (const c of cons) add(a.relation, c, [def.colname], own);
      }
    }
  }
  return out;
});

/** Whether the columns are the leading columns of `index` (in any order). */
function leads(index: string[], columns: string[]): boolean {
  if (index.length < columns.length) return false;
  const head = new Set(index.slice(0, columns.length));
  return columns.every((c) => head.has(c));
}

function covered(ctx: StatementContext, fk: ForeignKey): boolean {
  if (fk.ownIndexes.some((i) => leads(i, fk.columns))) return true;
  const { catalog } = ctx;
  for (const [, i] of catalog.indexes.group(fk.table))
    if (!i.partial && leads(i.columns, fk.columns)) return true;
  for (const c of catalog.table(fk.table)?.constraints.values() ?? [])
    if ((c.type === 'primary' || c.type === 'unique') && leads(c.columns, fk.columns)) return true;
  return laterIndexes(ctx, fk.table).some((i) => leads(i, fk.columns));
}

/**
 * Index-backed column lists on `table` created from the current statement on: later in this
 * section, in later UP sections of this migration, and in later migrations of the folder.
 */
function laterIndexes(ctx: StatementContext, table: string): string[][] {
  const out: string[][] = [];
  for (const i of sectionIndexes(ctx.section).get(table) ?? [])
    if (i.position > ctx.position) out.push(i.columns);
  const sections = ctx.migration.sections.filter((s) => s.kind === 'up');
  for (const s of sections.slice(sections.indexOf(ctx.section) + 1))
    for (const i of sectionIndexes(s).get(table) ?? []) out.push(i.columns);
  const byTable = folderIndexes(ctx.folder);
  const after = byTable?.positions.get(ctx.migration);
  if (byTable && after !== undefined)
    for (const i of byTable.tables.get(table) ?? []) if (i.position > after) out.push(i.columns);
  return out;
}

type IndexesByTable = Map<string, { position: number; columns: string[] }[]>;

// asked once per foreign key: a section's indexes are listed once, not once per statement
const sectionCache = new WeakMap<Section, IndexesByTable>();

function sectionIndexes(section: Section): IndexesByTable {
  let byTable = sectionCache.get(section);
  if (byTable) return byTable;
  byTable = new Map();
  const statements = section.parsed.statements;
  for (let position = 0; position < statements.length; position++)
    noteIndexes(byTable, position, statements[position]);
  sectionCache.set(section, byTable);
  return byTable;
}

function noteIndexes(byTable: IndexesByTable, position: number, s: Statement): void {
  for (const [table, columns] of indexesOf(s)) {
    const list = byTable.get(table) ?? [];
    list.push({ position, columns });
    byTable.set(table, list);
  }
}

/** (table, leading columns) of the indexes a statement creates. */
function indexesOf(s: Statement): [string, string[]][] {
  const a = s.ast;
  if (s.kind === 'IndexStmt' && !a.whereClause)
    return [
      [
        relKey(rangeVarName(a.relation)),
        (a.indexParams ?? []).map((p: Ast) => p.IndexElem?.name ?? '(expr)'),
      ],
    ];
  if (s.kind === 'AlterTableStmt') {
    const out: [string, string[]][] = [];
    for (const w of a.cmds ?? []) {
      const con =
        w.AlterTableCmd?.subtype === 'AT_AddConstraint' && w.AlterTableCmd.def?.Constraint;
      if (con && (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') && con.keys)
        out.push([relKey(rangeVarName(a.relation)), stringList(con.keys)]);
    }
    return out;
  }
  return [];
}

interface FolderIndexes {
  /** The migrations these were worked out from. */
  migrations: Migration[];
  positions: Map<Migration, number>;
  /** Positions are the migrations' places in the folder. */
  tables: IndexesByTable;
}

const folderCache = new WeakMap<MigrationFolder, FolderIndexes>();

function folderIndexes(folder: MigrationFolder | undefined): FolderIndexes | undefined {
  if (!folder) return undefined;
  let f = folderCache.get(folder);
  // the language server replaces an edited migration in the same folder object
  if (f && sameList(f.migrations, folder.migrations)) return f;
  f = { migrations: [...folder.migrations], positions: new Map(), tables: new Map() };
  folder.migrations.forEach((m, position) => {
    f!.positions.set(m, position);
    for (const s of m.sections)
      if (s.kind === 'up')
        for (const st of s.parsed.statements) noteIndexes(f!.tables, position, st);
  });
  folderCache.set(folder, f);
  return f;
}

/**
 * CREATE INDEX right after the statement for a table created in this migration (or in
 * autocommit, CONCURRENTLY); else CONCURRENTLY in a new migration that runs without a
 * transaction. Not preferred: an index costs writes and space, which is the author's call.
 */
function indexFix(ctx: StatementContext, fk: ForeignKey): Fix | undefined {
  const rel = rangeVarName(fk.relation);
  const name = freshIndexName(ctx, rel.schema ?? 'public', rel.name, fk.columns);
  const target = `${qualifiedIdent({ schema: rel.schema, name })}`;
  const on = `${qualifiedIdent(rel)} (${fk.columns.map(quoteIdent).join(', ')})`;
  const isNew = ctx.isNewTable(fk.table) || ctx.stmt.kind === 'CreateStmt';
  const title = `Create index ${name} on ${shortName(fk.table)} (${fk.columns.join(', ')})`;
  if (isNew) return { title, edits: [after(ctx, `CREATE INDEX ${quoteIdent(name)} ON ${on};`)] };
  const autocommit =
    !ctx.tx.inTransaction &&
    ctx.section.transaction === 'none' &&
    sendsStatementsSeparately(ctx.migration.format, ctx.section);
  const cic = `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${on};`;
  if (autocommit) return { title: `${title} (CONCURRENTLY)`, edits: [after(ctx, cic)] };
  if (ctx.section.kind !== 'up' || !followUpRunsOutsideTransaction(ctx.migration.format))
    return undefined;
  const moved = followUpMigration(ctx.folder, ctx.migration, {
    name: slug(`${ctx.migration.name}_fk_index`),
    up: cic,
    down: `DROP INDEX CONCURRENTLY IF EXISTS ${target};`,
    transactional: false,
  });
  if (!moved) return undefined;
  return { title: `${title} CONCURRENTLY in a new migration ${moved.label}`, edits: moved.edits };
}

/** A line after the statement, outside a goose StatementBegin block around it. */
function after(ctx: StatementContext, sql: string): Edit {
  const { file, stmt } = ctx;
  const at = insertionPointAfter(file, stmt);
  const semi = at === stmt.terminatorEnd && stmt.terminatorEnd === stmt.end ? ';' : '';
  return insert(file, at, `${semi}${lineBreakOf(file.text)}${sql}`);
}

function freshIndexName(
  ctx: StatementContext,
  schema: string,
  table: string,
  cols: string[],
): string {
  for (let pass = 0; ; pass++) {
    const name = pgObjectName(table, cols.join('_'), pass ? `idx${pass}` : 'idx');
    if (!ctx.catalog.indexes.has(`${schema}.${name}`)) return name;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
