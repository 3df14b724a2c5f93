/**
 * The only module that talks to the PostgreSQL parser (libpg-query, PostgreSQL 18's own grammar
 * compiled to WebAssembly). Everything else sees statements with UTF-16 source ranges, their AST,
 * and syntax errors with positions.
 */
import { loadModule, parsePlPgSQLSync, parseSync, scanSync } from 'libpg-query';
import { TextIndex } from '../text/positions';
import { skipTrivia, splitStatements, trimEnd } from './split';
import { memoRanges } from './treeMemo';

/**
 * A node of PostgreSQL's raw parse tree as libpg-query's JSON renders it. Its shape is
 * PostgreSQL's, checked by the rules field by field; a static type for every node would be
 * larger than the rules that read it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Ast = any;

export interface Statement {
  /** UTF-16 offset of the first token in the file. */
  start: number;
  /** UTF-16 offset after the last token (before the semicolon). */
  end: number;
  /** Offset after the terminating semicolon, or `end` when the statement has none. */
  terminatorEnd: number;
  text: string;
  /** Node type, e.g. `IndexStmt`, `AlterTableStmt`. */
  kind: string;
  /** The node itself (the value under `kind`). */
  ast: Ast;
  /** Converts an AST `location` (a byte offset into the parsed text) to a UTF-16 file offset. */
  offsetOf(location: number | undefined): number;
}

export interface SqlSyntaxError {
  /** UTF-16 offsets of the offending token (or of the statement when it cannot be narrowed). */
  start: number;
  end: number;
  message: string;
  /** Range of the statement that failed to parse. */
  statementStart: number;
  statementEnd: number;
}

export interface ParseResult {
  statements: Statement[];
  errors: SqlSyntaxError[];
}

export interface Token {
  /** UTF-16 offsets in the file. */
  start: number;
  end: number;
  text: string;
  /** Upper-cased keyword name, or '' for identifiers, literals and punctuation. */
  keyword: string;
  /** libpg-query's token name: IDENT, SCONST, ASCII_59, SQL_COMMENT, … */
  name: string;
}

let ready: Promise<void> | undefined;
let loaded = false;

/** Loads the WebAssembly parser once; every other function here needs it. */
export function initParser(): Promise<void> {
  ready ??= loadModule().then(() => {
    loaded = true;
  });
  return ready;
}

function assertLoaded(): void {
  if (!loaded) throw new Error('pgmig: the SQL parser is not loaded; await initParser() first');
}

interface RawStmt {
  stmt?: Record<string, Ast>;
  stmt_location?: number;
  stmt_len?: number;
}

interface ParserError extends Error {
  sqlDetails?: { message: string; cursorPosition: number };
}

// Inputs beyond this are not handed to the parser in one piece: PostgreSQL's own limit for a
// query string is 1 GB, but a JSON parse tree for megabytes of SQL costs more than parsing in
// statement-sized chunks.
export const WHOLE_TEXT_LIMIT = 4 * 1024 * 1024;

// Longer inputs are first parsed in runs of whole statements of about this size: the
// WebAssembly heap grows to hold the JSON tree of what it is given and never shrinks, so one
// megabyte of SQL parsed at once would keep ~100 MB for the life of the process.
export const PARSE_RUN_CHARS = 64 * 1024;

/**
 * Parses `index.text[from, to)` into statements. A syntax error costs only the statement it is in:
 * the others are parsed one by one.
 */
export function parseSql(index: TextIndex, from = 0, to = index.text.length): ParseResult {
  assertLoaded();
  if (to - from > PARSE_RUN_CHARS && to - from <= WHOLE_TEXT_LIMIT) {
    const runs = parseRuns(index, from, to);
    if (runs) return { statements: runs, errors: [] };
  }
  if (to - from <= WHOLE_TEXT_LIMIT) {
    const whole = tryParse(index, from, to);
    if (whole.ok) return { statements: whole.statements, errors: [] };
  }
  return parseChunks(index, from, to);
}

/**
 * The statements of `[from, to)` parsed run by run, or undefined when a run does not parse:
 * then the text is parsed as before, in one piece or statement by statement, so the result never
 * depends on where the runs were cut.
 */
function parseRuns(index: TextIndex, from: number, to: number): Statement[] | undefined {
  const statements: Statement[] = [];
  for (const [start, end] of statementRuns(index.text, from, to)) {
    const run = tryParse(index, start, end);
    if (!run.ok) return undefined;
    for (const s of run.statements) statements.push(s);
  }
  return statements;
}

/** `[from, to)` cut after top-level semicolons into runs of about PARSE_RUN_CHARS. */
function statementRuns(text: string, from: number, to: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = from;
  for (const chunk of splitStatements(text, from, to)) {
    if (chunk.terminatorEnd - start < PARSE_RUN_CHARS) continue;
    runs.push([start, chunk.terminatorEnd]);
    start = chunk.terminatorEnd;
  }
  if (start < to) runs.push([start, to]);
  return runs;
}

/**
 * Parses `index.text[from, to)` statement by statement, as split by the lexical splitter: what
 * parseSql does when the text as a whole has a syntax error.
 */
export function parseChunks(index: TextIndex, from: number, to: number): ParseResult {
  assertLoaded();
  const text = index.text;
  const statements: Statement[] = [];
  const errors: SqlSyntaxError[] = [];
  for (const chunk of splitStatements(text, from, to)) {
    const start = skipTrivia(text, chunk.start, chunk.end);
    if (start >= chunk.end) continue;
    const end = trimEnd(text, start, chunk.end);
    const result = tryParse(index, start, end);
    if (result.ok) {
      for (const s of result.statements) {
        if (s.terminatorEnd === s.end && end === s.end) s.terminatorEnd = chunk.terminatorEnd;
        statements.push(s);
      }
    } else {
      errors.push(result.error);
    }
  }
  return { statements, errors };
}

export type TryResult =
  { ok: true; statements: Statement[] } | { ok: false; error: SqlSyntaxError };

/** Parses `index.text[from, to)` in one piece: its statements, or the error that stops it. */
export function parseRange(index: TextIndex, from: number, to: number): TryResult {
  assertLoaded();
  return tryParse(index, from, to);
}

/**
 * Parses one section of a source file. The language server installs an incremental parser here
 * (see parser/incremental.ts) while it reloads a file it has parsed before; otherwise this is
 * parseSql.
 */
export type SectionParser = (
  file: { path: string; index: TextIndex },
  from: number,
  to: number,
) => ParseResult;

let sectionParser: SectionParser | undefined;

export function parseSection(
  file: { path: string; index: TextIndex },
  from: number,
  to: number,
): ParseResult {
  return sectionParser ? sectionParser(file, from, to) : parseSql(file.index, from, to);
}

/** Runs `body` with `parser` answering parseSection. */
export function withSectionParser<T>(parser: SectionParser, body: () => T): T {
  const previous = sectionParser;
  sectionParser = parser;
  try {
    return body();
  } finally {
    sectionParser = previous;
  }
}

function tryParse(index: TextIndex, from: number, to: number): TryResult {
  const text = index.text;
  const slice = text.slice(from, to);
  const baseByte = index.offsetToByte(from);
  const offsetOf = (location: number | undefined): number =>
    index.byteToOffset(baseByte + (location ?? 0));
  let raw: { stmts?: RawStmt[] };
  try {
    raw = parseSync(slice) as { stmts?: RawStmt[] };
  } catch (e) {
    const err = e as ParserError;
    const message = err.sqlDetails?.message ?? err.message ?? String(e);
    const cursor = err.sqlDetails?.cursorPosition;
    let start = skipTrivia(text, from, to);
    let end = trimEnd(text, start, to);
    const statementStart = start;
    const statementEnd = end;
    if (cursor !== undefined && cursor >= 0) {
      start = Math.min(offsetOf(cursor), to);
      const m = /^(?:[\p{L}\p{N}_$]+|\S)/u.exec(text.slice(start, Math.min(to, start + 200)));
      end = start + (m ? m[0].length : 0);
      if (end <= start) end = Math.min(start + 1, to);
    }
    return {
      ok: false,
      error: { start, end, message: cleanMessage(message), statementStart, statementEnd },
    };
  }
  const statements: Statement[] = [];
  for (const s of raw.stmts ?? []) {
    if (!s.stmt) continue;
    const kind = Object.keys(s.stmt)[0];
    const locStart = offsetOf(s.stmt_location);
    const locEnd = s.stmt_len ? offsetOf((s.stmt_location ?? 0) + s.stmt_len) : to;
    const start = skipTrivia(text, locStart, locEnd);
    const end = trimEnd(text, start, locEnd);
    const terminatorEnd = text.charCodeAt(locEnd) === 59 && locEnd < to ? locEnd + 1 : end;
    statements.push({
      start,
      end,
      terminatorEnd,
      text: text.slice(start, end),
      kind,
      ast: s.stmt[kind],
      offsetOf,
    });
  }
  return { ok: true, statements };
}

function cleanMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/**
 * Tokens of `index.text[from, to)` from PostgreSQL's own scanner, comments included. Returns []
 * when the scanner rejects the text (an unterminated literal).
 */
export function scanTokens(index: TextIndex, from: number, to: number): Token[] {
  assertLoaded();
  const slice = index.text.slice(from, to);
  const baseByte = index.offsetToByte(from);
  let tokens: Array<{ start: number; end: number; tokenName: string; keywordKind: number }>;
  try {
    tokens = scanSync(slice).tokens;
  } catch {
    return [];
  }
  return tokens.map((t) => {
    const start = index.byteToOffset(baseByte + t.start);
    const end = index.byteToOffset(baseByte + t.end);
    const text = index.text.slice(start, end);
    return {
      start,
      end,
      text,
      keyword: t.keywordKind > 0 ? text.toUpperCase() : '',
      name: t.tokenName,
    };
  });
}

/** Tokens of one statement, comments left out. */
export function statementTokens(index: TextIndex, stmt: Statement): Token[] {
  return tokensOf(stmt, index);
}

// several rules and fixes ask for the same statement's tokens; scanning is not free
const tokensOf = memoRanges((stmt: Statement, index: TextIndex) =>
  scanTokens(index, stmt.start, stmt.end).filter(
    (t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT',
  ),
);

/** PostgreSQL's verdict on one piece of SQL, for tests and fix checks. */
export function isValidSql(sql: string): boolean {
  assertLoaded();
  try {
    parseSync(sql);
    return true;
  } catch {
    return false;
  }
}

/**
 * The PL/pgSQL tree of a DO block's body (PostgreSQL's own PL/pgSQL parser), or undefined when
 * it does not parse.
 */
export function parsePlpgsqlBody(body: string): Ast | undefined {
  assertLoaded();
  let tag = 'pgmig';
  while (body.includes(`$${tag}$`)) tag += '_';
  try {
    const r = parsePlPgSQLSync(
      `CREATE FUNCTION pgmig_do() RETURNS void LANGUAGE plpgsql AS $${tag}$${body}$${tag}$`,
    ) as Ast;
    return r?.plpgsql_funcs?.[0]?.PLpgSQL_function;
  } catch {
    return undefined;
  }
}
