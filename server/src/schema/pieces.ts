/**
 * The kept SQL of one statement's columns, constraints and subcommands, computed once per
 * statement and looked up by AST node while apply.ts builds the model.
 */
import { memoByTree } from '../parser/treeMemo';
import type { Ast, Statement } from '../parser/parse';
import type { ColumnInfo } from './catalog';
import {
  alterCmdSpans,
  columnPieces,
  setDefaultText,
  tableConstraintPiece,
  tableElementSpans,
  type ColumnPieces,
  type Piece,
} from './definitions';
import { pgObjectName, quoteIdent } from '../parser/ast';
import type { Span } from './source';

interface StatementPieces {
  columns: Map<Ast, ColumnPieces>;
  constraints: Map<Ast, Piece | undefined>;
  cmdSpans: Map<Ast, Span>;
}

// text and token spans, keyed by AST node: the same for the statement moved by an edit elsewhere
const piecesOf = memoByTree((stmt: Statement): StatementPieces => {
  const p: StatementPieces = { columns: new Map(), constraints: new Map(), cmdSpans: new Map() };
  const a = stmt.ast;
  const column = (def: Ast, span: Span | undefined) => {
    const cp = columnPieces(stmt, def, span);
    p.columns.set(def, cp);
    for (const [c, piece] of cp.constraints) p.constraints.set(c, piece);
  };
  if (stmt.kind === 'CreateStmt') {
    const spans = tableElementSpans(stmt);
    (a.tableElts ?? []).forEach((e: Ast, i: number) => {
      if (e.ColumnDef) column(e.ColumnDef, spans?.[i]);
      else if (e.Constraint)
        p.constraints.set(
          e.Constraint,
          spans && tableConstraintPiece(stmt, e.Constraint, spans[i]),
        );
    });
  } else if (stmt.kind === 'AlterTableStmt') {
    const spans = alterCmdSpans(stmt);
    (a.cmds ?? []).forEach((w: Ast, i: number) => {
      const cmd = w.AlterTableCmd;
      if (!cmd) return;
      if (spans) p.cmdSpans.set(cmd, spans[i]);
      const def = cmd.def;
      if (cmd.subtype === 'AT_AddColumn' && def?.ColumnDef) column(def.ColumnDef, spans?.[i]);
      else if (cmd.subtype === 'AT_AddConstraint' && def?.Constraint)
        p.constraints.set(
          def.Constraint,
          spans && tableConstraintPiece(stmt, def.Constraint, spans[i]),
        );
    });
  }
  return p;
});

/**
 * What the model keeps of a column definition as SQL. A serial column's default is the
 * `nextval` PostgreSQL writes for it, on the sequence name it chooses.
 */
export function columnSql(
  stmt: Statement,
  def: Ast,
  table: { schema: string; name: string },
  sequenceTaken: (name: string) => boolean = () => false,
): Partial<ColumnInfo> {
  const cp = piecesOf(stmt).columns.get(def);
  if (!cp) return {};
  const out: Partial<ColumnInfo> = {
    typeSql: cp.typeSql,
    serial: cp.serial,
    defaultText: cp.defaultText,
    collation: cp.collation,
    identityText: cp.identityText,
    generatedSql: cp.generated,
  };
  if (cp.serial) {
    const seq = serialSequenceName(table.name, def.colname, sequenceTaken);
    const qualified =
      table.schema === 'public'
        ? quoteIdent(seq)
        : `${quoteIdent(table.schema)}.${quoteIdent(seq)}`;
    out.defaultText = `nextval('${qualified.replace(/'/g, "''")}'::regclass)`;
  }
  return out;
}

/** PostgreSQL's name for a serial column's sequence: `table_column_seq`, numbered if taken. */
export function serialSequenceName(
  table: string,
  column: string,
  taken: (name: string) => boolean,
): string {
  for (let pass = 0; ; pass++) {
    const name = pgObjectName(table, column, pass ? `seq${pass}` : 'seq');
    if (!taken(name)) return name;
  }
}

/** The table-level definition of a constraint node of this statement. */
export function constraintDefinition(stmt: Statement, con: Ast): Piece | undefined {
  return piecesOf(stmt).constraints.get(con);
}

/** The expression of an `ALTER COLUMN … SET DEFAULT` subcommand of this statement. */
export function defaultOfCmd(stmt: Statement, cmd: Ast): string | undefined {
  const span = piecesOf(stmt).cmdSpans.get(cmd);
  return span && setDefaultText(stmt, span);
}

/** The token span of an ALTER TABLE subcommand of this statement. */
export function cmdSpan(stmt: Statement, cmd: Ast): Span | undefined {
  return piecesOf(stmt).cmdSpans.get(cmd);
}
