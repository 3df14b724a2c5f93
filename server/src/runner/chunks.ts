/**
 * What the runner sends for a section: each parsed statement, and the text of any statement the
 * parser rejected (the server then reports the real error at its real place), in file order.
 */
import type { Section } from '../folder/model';
import type { Statement } from '../parser/parse';

export interface Chunk {
  /** UTF-16 offsets in the section's file. */
  start: number;
  end: number;
  text: string;
  /** The parsed statement (absent for text the parser rejected). */
  statement?: Statement;
}

const cache = new WeakMap<Section, Chunk[]>();

export function chunksOf(s: Section): Chunk[] {
  let out = cache.get(s);
  if (out) return out;
  const text = s.file.text;
  const all: Array<{ start: number; end: number; statement?: Statement }> = [
    ...s.parsed.statements.map((st) => ({ start: st.start, end: st.end, statement: st })),
    ...s.parsed.errors.map((e) => ({ start: e.statementStart, end: e.statementEnd })),
  ].sort((a, b) => a.start - b.start);
  out = all.map((c) => ({ ...c, text: text.slice(c.start, c.end) }));
  cache.set(s, out);
  return out;
}
