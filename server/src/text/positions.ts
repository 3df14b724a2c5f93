/**
 * All position math lives here: UTF-8 byte offsets (what libpg-query reports), UTF-16 offsets
 * (what JavaScript strings and LSP use) and 0-based line/character positions.
 */

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit offset within the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

function utf8Length(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) return 4; // high surrogate: the pair encodes as 4 bytes
  if (code >= 0xdc00 && code <= 0xdfff) return 0; // low surrogate: counted with its high half
  return 3;
}

/** Byte length of a string in UTF-8. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * An index over one text. Line starts are computed eagerly (one pass); the byte↔UTF-16 map only
 * when the text has non-ASCII characters, as a sorted list of the places where the two diverge.
 */
export class TextIndex {
  readonly text: string;
  private readonly lineStarts: number[];
  /** UTF-16 offsets right after each non-ASCII character, and the byte offset there. */
  private readonly utf16Marks: number[] = [];
  private readonly byteMarks: number[] = [];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      if (c >= 0x80) {
        bytes += utf8Length(c);
        this.utf16Marks.push(i + 1);
        this.byteMarks.push(bytes);
      } else {
        bytes += 1;
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** UTF-16 offset of a UTF-8 byte offset. */
  byteToOffset(byte: number): number {
    if (this.utf16Marks.length === 0) return Math.min(byte, this.text.length);
    // last mark whose byte offset is <= byte
    let lo = 0;
    let hi = this.byteMarks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.byteMarks[mid] <= byte) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const offset = found < 0 ? byte : this.utf16Marks[found] + (byte - this.byteMarks[found]);
    return Math.min(offset, this.text.length);
  }

  /** UTF-8 byte offset of a UTF-16 offset. */
  offsetToByte(offset: number): number {
    if (this.utf16Marks.length === 0) return offset;
    let lo = 0;
    let hi = this.utf16Marks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.utf16Marks[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? offset : this.byteMarks[found] + (offset - this.utf16Marks[found]);
  }

  /** 0-based line containing a UTF-16 offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.lineStarts[position.line];
    const next =
      position.line + 1 < this.lineStarts.length
        ? this.lineStarts[position.line + 1]
        : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** End of a line's content (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(end, this.lineStarts[line]);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** The line break a text uses, for edits that add lines. */
export function lineBreakOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
}

/**
 * UTF-16 offset reached after `count` characters from `from`: PostgreSQL reports error positions
 * in characters (code points), which differ from UTF-16 units after astral characters.
 */
export function advanceCodePoints(text: string, from: number, count: number): number {
  let i = from;
  for (let n = 0; n < count && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}
