/**
 * Source ranges inside an ALTER TABLE statement that the parse tree does not give: each
 * subcommand (PostgreSQL records no location for them) and each constraint of a column definition
 * (it records where a constraint starts, not where it ends). Fixes that rewrite one subcommand or
 * drop one clause need them; any surprise answers undefined so the fix is simply not offered.
 */
import type { SourceFile } from '../folder/model';
import { statementLightTokens, type LightToken } from '../parser/lexer';
import type { Ast, Statement } from '../parser/parse';
import { memoRanges } from '../parser/treeMemo';

export interface TextRange {
  start: number;
  end: number;
}

/** Ranges of the statement's subcommands, in the order of `ast.cmds`. */
export function alterCommandRanges(file: SourceFile, stmt: Statement): TextRange[] | undefined {
  return commandRanges(stmt, file);
}

// several rules ask for the same statement's subcommands
const commandRanges = memoRanges((stmt: Statement, file: SourceFile) =>
  computeCommandRanges(file, stmt),
);

function computeCommandRanges(file: SourceFile, stmt: Statement): TextRange[] | undefined {
  const tokens = statementLightTokens(file.text, stmt);
  const relStart = stmt.offsetOf(stmt.ast.relation?.location);
  let i = tokens.findIndex((t) => t.start === relStart);
  if (i < 0) return undefined;
  // the relation name: ident, then `.ident` parts, then an optional `*`
  i++;
  while (tokens[i]?.text === '.' && tokens[i + 1]) i += 2;
  if (tokens[i]?.text === '*') i++;
  const ranges: TextRange[] = [];
  let depth = 0;
  let first = i;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (t === ',' && depth === 0) {
      if (j === first) return undefined;
      ranges.push({ start: tokens[first].start, end: tokens[j - 1].end });
      first = j + 1;
    }
  }
  if (first >= tokens.length) return undefined;
  ranges.push({ start: tokens[first].start, end: tokens[tokens.length - 1].end });
  return ranges.length === (stmt.ast.cmds ?? []).length ? ranges : undefined;
}

/** The subcommand range of `ast.cmds[index]`. */
export function alterCommandRange(
  file: SourceFile,
  stmt: Statement,
  index: number,
): TextRange | undefined {
  return alterCommandRanges(file, stmt)?.[index];
}

/**
 * Ranges of a ColumnDef's constraints (aligned with `colDef.constraints`) inside `cmd`: each runs
 * up to the next clause of the column (another constraint or COLLATE) or the end of the command.
 */
export function columnConstraintRanges(
  file: SourceFile,
  stmt: Statement,
  cmd: TextRange,
  colDef: Ast,
): TextRange[] | undefined {
  const tokens = tokensIn(file, stmt, cmd);
  const cons: Ast[] = (colDef?.constraints ?? []).map((c: Ast) => c.Constraint);
  const starts = cons.map((c) => (c ? stmt.offsetOf(c.location) : -1));
  if (starts.some((s) => s < cmd.start || s >= cmd.end)) return undefined;
  const boundaries = [...starts];
  if (colDef.collClause?.location !== undefined)
    boundaries.push(stmt.offsetOf(colDef.collClause.location));
  boundaries.sort((a, b) => a - b);
  return starts.map((start) => {
    const next = boundaries.find((b) => b > start) ?? cmd.end + 1;
    const inside = tokens.filter((t) => t.start >= start && t.start < next);
    const last = inside[inside.length - 1];
    return { start, end: last ? last.end : start };
  });
}

/**
 * An edit range that removes `r` from `cmd` with the whitespace that separates it from its
 * neighbours, so the rest reads as written.
 */
export function removalRange(
  file: SourceFile,
  stmt: Statement,
  cmd: TextRange,
  r: TextRange,
): TextRange {
  const tokens = tokensIn(file, stmt, cmd);
  const before = tokens.filter((t) => t.end <= r.start).pop();
  return { start: before ? before.end : r.start, end: r.end };
}

export function tokensIn(file: SourceFile, stmt: Statement, r: TextRange): LightToken[] {
  return statementLightTokens(file.text, stmt).filter((t) => t.start >= r.start && t.end <= r.end);
}

/** Where to report about `ast.cmds[index]`: the subcommand, or the statement if it cannot be found. */
export function commandOrStatement(file: SourceFile, stmt: Statement, index: number): TextRange {
  return alterCommandRange(file, stmt, index) ?? { start: stmt.start, end: stmt.end };
}
