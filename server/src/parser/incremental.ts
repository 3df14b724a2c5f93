/**
 * Incremental parsing for the language server. After an edit, only the statements between the
 * last statement boundary before the edit and the first one after it are parsed again; the others
 * are reused, moved by the edit's length. The result is what parseSql gives on the new text
 * (test/unit/parser/incremental.test.ts checks this on corpus files under random edits).
 *
 * Reused statements must not keep the TextIndex of the version they were parsed in (a long
 * editing session would keep every old text alive), so every statement handed out here converts
 * AST locations through one holder per file whose index is always the newest.
 */
import { byteLength, type TextIndex } from '../text/positions';
import {
  parseChunks,
  parseRange,
  parseSql,
  WHOLE_TEXT_LIMIT,
  type ParseResult,
  type SectionParser,
  type SqlSyntaxError,
  type Statement,
} from './parse';
import { splitStatements } from './split';

/** `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

const BLOCK = 1024;

/** The smallest change turning `a` into `b` by common prefix and suffix; undefined when equal. */
export function diffTexts(a: string, b: string): TextChange | undefined {
  if (a === b) return undefined;
  const n = Math.min(a.length, b.length);
  let p = 0;
  // whole blocks first: comparing slices runs in native code
  while (p + BLOCK <= n && a.slice(p, p + BLOCK) === b.slice(p, p + BLOCK)) p += BLOCK;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // never cut a surrogate pair: byte offsets are computed at the change's edges
  if (p > 0 && isHighSurrogate(a.charCodeAt(p - 1))) p--;
  let s = 0;
  const maxS = n - p;
  while (
    s + BLOCK <= maxS &&
    a.slice(a.length - s - BLOCK, a.length - s) === b.slice(b.length - s - BLOCK, b.length - s)
  )
    s += BLOCK;
  while (s < maxS && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (s > 0 && isLowSurrogate(a.charCodeAt(a.length - s))) s--;
  return { start: p, oldEnd: a.length - s, newEnd: b.length - s };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

interface Holder {
  index: TextIndex;
}

interface SectionParse {
  from: number;
  to: number;
  result: ParseResult;
}

interface FileVersion {
  text: string;
  sections: SectionParse[];
}

interface FileEntry {
  holder: Holder;
  current: FileVersion;
  previous?: FileVersion;
  change?: TextChange;
  byteDelta: number;
}

/** Byte offset (in the holder's text) that a statement's AST locations count from. */
const anchors = new WeakMap<Statement, number>();

function bound(holder: Holder, s: Statement, delta: number, anchor: number): Statement {
  const out: Statement = {
    start: s.start + delta,
    end: s.end + delta,
    terminatorEnd: s.terminatorEnd + delta,
    text: s.text,
    kind: s.kind,
    ast: s.ast,
    offsetOf: (location) => holder.index.byteToOffset(anchor + (location ?? 0)),
  };
  anchors.set(out, anchor);
  return out;
}

/** Statements fresh from the parser, re-bound to the holder. */
function adopt(holder: Holder, result: ParseResult): ParseResult {
  const index = holder.index;
  return {
    statements: result.statements.map((s) =>
      bound(holder, s, 0, index.offsetToByte(s.offsetOf(0))),
    ),
    errors: result.errors,
  };
}

function shiftStatement(holder: Holder, s: Statement, delta: number, byteDelta: number): Statement {
  const anchor = anchors.get(s);
  if (anchor === undefined) throw new Error('pgmig: statement not from the incremental parser');
  return bound(holder, s, delta, anchor + byteDelta);
}

function shiftError(e: SqlSyntaxError, delta: number): SqlSyntaxError {
  return {
    ...e,
    start: e.start + delta,
    end: e.end + delta,
    statementStart: e.statementStart + delta,
    statementEnd: e.statementEnd + delta,
  };
}

/** Statements the lexical splitter would cut in two (CREATE RULE … DO (a; b)). */
function splitsDifferently(s: Statement): boolean {
  return s.text.includes(';') && splitStatements(s.text).length > 1;
}

/** Counters for tests and the language server's log. */
export interface IncrementalStats {
  reused: number;
  shifted: number;
  reparsedSections: number;
  fullParses: number;
}

export class IncrementalParser {
  private readonly files = new Map<string, FileEntry>();
  readonly stats: IncrementalStats = { reused: 0, shifted: 0, reparsedSections: 0, fullParses: 0 };

  /** The SectionParser to install with withSectionParser while (re)loading files. */
  readonly parse: SectionParser = (file, from, to) => {
    const text = file.index.text;
    let entry = this.files.get(file.path);
    if (!entry) {
      entry = { holder: { index: file.index }, current: { text, sections: [] }, byteDelta: 0 };
      this.files.set(file.path, entry);
    } else if (entry.current.text !== text) {
      const previous = entry.current;
      entry.previous = previous;
      entry.current = { text, sections: [] };
      entry.change = diffTexts(previous.text, text);
      entry.byteDelta = entry.change
        ? byteLength(text.slice(entry.change.start, entry.change.newEnd)) -
          byteLength(previous.text.slice(entry.change.start, entry.change.oldEnd))
        : 0;
      entry.holder.index = file.index;
    }
    const hit = entry.current.sections.find((s) => s.from === from && s.to === to);
    if (hit) return hit.result;
    const result = this.reparse(entry, from, to) ?? this.full(entry, from, to);
    entry.current.sections.push({ from, to, result });
    return result;
  };

  /** Drops what is kept for a file (deleted, or closed and reloaded from disk later). */
  forget(path: string): void {
    this.files.delete(path);
  }

  private full(entry: FileEntry, from: number, to: number): ParseResult {
    this.stats.fullParses++;
    return adopt(entry.holder, parseSql(entry.holder.index, from, to));
  }

  private reparse(entry: FileEntry, from: number, to: number): ParseResult | undefined {
    const prev = entry.previous;
    if (!prev) return undefined;
    const ch = entry.change;
    if (!ch) return prev.sections.find((s) => s.from === from && s.to === to)?.result;
    const delta = ch.newEnd - ch.oldEnd;
    // where the section's ends were before the edit (both, when the edit touches them)
    const before = (p: number) => [
      ...(p <= ch.start ? [p] : []),
      ...(p >= ch.newEnd ? [p - delta] : []),
    ];
    const froms = before(from);
    const tos = before(to);
    const holder = entry.holder;
    for (const old of prev.sections) {
      if (!froms.includes(old.from) || !tos.includes(old.to)) continue;
      if (old.to <= ch.start && to === old.to) {
        this.stats.reused += old.result.statements.length;
        return old.result;
      }
      if (old.from >= ch.oldEnd && from === old.from + delta) {
        this.stats.shifted += old.result.statements.length;
        return {
          statements: old.result.statements.map((s) =>
            shiftStatement(holder, s, delta, entry.byteDelta),
          ),
          errors: old.result.errors.map((e) => shiftError(e, delta)),
        };
      }
      if (from === old.from && to === old.to + delta && old.from <= ch.start && old.to >= ch.oldEnd)
        return this.reparseInside(entry, prev.text, old, ch, from, to);
    }
    return undefined;
  }

  /** The edit lies inside the section: parse again between the boundaries around it. */
  private reparseInside(
    entry: FileEntry,
    oldText: string,
    old: SectionParse,
    ch: TextChange,
    from: number,
    to: number,
  ): ParseResult | undefined {
    const holder = entry.holder;
    const text = holder.index.text;
    const delta = ch.newEnd - ch.oldEnd;
    const olds = old.result.statements;
    // boundaries: right after a statement's own semicolon, where the lexer is back at top level
    const isBoundary = (s: Statement) =>
      s.terminatorEnd > s.end && oldText.charCodeAt(s.terminatorEnd - 1) === 59;
    let b0 = old.from;
    for (const s of olds) {
      if (s.terminatorEnd > ch.start) break;
      if (isBoundary(s)) b0 = s.terminatorEnd;
    }
    // the first boundary after the edit where the new text splits the same way: usually the
    // next one; after an edit that opens a quote or a comment, wherever the text realigns
    const later = olds.filter(
      (s) => s.terminatorEnd >= ch.oldEnd && s.terminatorEnd > b0 && isBoundary(s),
    );
    let b1 = old.to;
    let chunksEnd = to;
    const endsAt = (chunk: { end: number; terminatorEnd: number }, e: number) =>
      chunk.terminatorEnd === e && chunk.end === e - 1 && text.charCodeAt(e - 1) === 59;
    if (later.length > 0) {
      const e = later[0].terminatorEnd + delta;
      const chunks = splitStatements(text, b0, e);
      if (chunks.length === 0 || endsAt(chunks[chunks.length - 1], e)) {
        b1 = later[0].terminatorEnd;
        chunksEnd = e;
      } else {
        const wanted = new Map(later.map((s) => [s.terminatorEnd + delta, s.terminatorEnd]));
        for (const c of splitStatements(text, b0, to)) {
          const oldEnd = wanted.get(c.terminatorEnd);
          if (oldEnd !== undefined && endsAt(c, c.terminatorEnd)) {
            b1 = oldEnd;
            chunksEnd = c.terminatorEnd;
            break;
          }
        }
      }
    }
    const before = olds.filter((s) => s.terminatorEnd <= b0);
    const after = olds.filter((s) => s.start >= b1);
    const errorsBefore = old.result.errors.filter((e) => e.statementEnd <= b0);
    const errorsAfter = old.result.errors.filter((e) => e.statementStart >= b1);
    const outsideErrors = errorsBefore.length + errorsAfter.length;
    let region: ParseResult;
    const whole =
      outsideErrors === 0 && to - from <= WHOLE_TEXT_LIMIT
        ? parseRange(holder.index, b0, chunksEnd)
        : undefined;
    if (whole?.ok) region = { statements: whole.statements, errors: [] };
    else region = parseChunks(holder.index, b0, chunksEnd);
    region = adopt(holder, region);
    const errors = [
      ...errorsBefore,
      ...region.errors,
      ...errorsAfter.map((e) => shiftError(e, delta)),
    ];
    const shifted = after.map((s) => shiftStatement(holder, s, delta, entry.byteDelta));
    const oldErrors = old.result.errors.length;
    // parseSql parses a section without errors in one piece and one with errors statement by
    // statement; where the two could differ, parse the section as parseSql does
    if (errors.length > 0 && errors.length < oldErrors) return undefined;
    if (errors.length > 0 && oldErrors === 0 && [...before, ...after].some(splitsDifferently))
      return undefined;
    const statements = [...before, ...region.statements, ...shifted];
    // a last statement without a semicolon ends at its last token in one piece, and at the end
    // of the section when parsed statement by statement
    const last = statements[statements.length - 1];
    if (last && !(last.terminatorEnd > last.end && text.charCodeAt(last.terminatorEnd - 1) === 59))
      last.terminatorEnd = errors.length > 0 || to - from > WHOLE_TEXT_LIMIT ? to : last.end;
    this.stats.reparsedSections++;
    this.stats.reused += before.length;
    this.stats.shifted += shifted.length;
    return { statements, errors };
  }
}
