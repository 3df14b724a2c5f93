/**
 * A lexical statement splitter used only when PostgreSQL's parser rejects a text: it finds the
 * top-level semicolons so that every other statement can still be parsed and linted on its own.
 * It understands quotes, E'' strings, quoted identifiers, dollar quotes, nested block comments and
 * `BEGIN ATOMIC … END` bodies. An unterminated literal swallows the rest of the text, as it does in
 * PostgreSQL's own lexer.
 */

export interface Chunk {
  /** UTF-16 offsets into the text, `end` before the semicolon. */
  start: number;
  end: number;
  /** Offset after the semicolon, or `end` at the end of the text. */
  terminatorEnd: number;
}

export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

export function splitStatements(text: string, from = 0, to = text.length): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart = from;
  let prevWord = '';
  let atomicDepth = 0;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    const next = i + 1 < to ? text.charCodeAt(i + 1) : -1;
    if (c === 45 && next === 45) {
      // -- comment
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > to ? to : nl + 1;
    } else if (c === 47 && next === 42) {
      let depth = 1;
      i += 2;
      while (i < to && depth > 0) {
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === 39) {
      // '...' with '' escapes; E'' strings also allow backslash escapes
      const escaped = i > from && (text[i - 1] === 'E' || text[i - 1] === 'e');
      i++;
      while (i < to) {
        const d = text.charCodeAt(i);
        if (escaped && d === 92) i += 2;
        else if (d === 39) {
          if (text.charCodeAt(i + 1) === 39) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === 34) {
      i++;
      while (i < to) {
        if (text.charCodeAt(i) === 34) {
          if (text.charCodeAt(i + 1) === 34) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === 36 && (i === from || !isIdentChar(text.charCodeAt(i - 1)))) {
      // $tag$ ... $tag$ ; a lone $1 parameter is not a quote
      let j = i + 1;
      while (j < to && isIdentChar(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      const tagBody = text.slice(i + 1, j);
      if (text.charCodeAt(j) === 36 && !/^[0-9]/.test(tagBody)) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        i = close < 0 || close + tag.length > to ? to : close + tag.length;
      } else i = j;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < to && isIdentChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j).toUpperCase();
      if (atomicDepth === 0 && word === 'ATOMIC' && prevWord === 'BEGIN') atomicDepth = 1;
      else if (atomicDepth > 0 && word === 'CASE') atomicDepth++;
      else if (atomicDepth > 0 && word === 'END') atomicDepth--;
      prevWord = word;
      i = j;
    } else if (c === 59 && atomicDepth === 0) {
      chunks.push({ start: chunkStart, end: i, terminatorEnd: i + 1 });
      chunkStart = i + 1;
      prevWord = '';
      i++;
    } else {
      i++;
    }
  }
  if (chunkStart < to) chunks.push({ start: chunkStart, end: to, terminatorEnd: to });
  return chunks;
}

/** Offset of the first character that is not whitespace or a comment, or `to`. */
export function skipTrivia(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xfeff) i++;
    else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > to ? to : nl + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 1;
      i += 2;
      while (i < to && depth > 0) {
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
    } else break;
  }
  return Math.min(i, to);
}

/** Offset after the last character that is not whitespace, scanning back from `to`. */
export function trimEnd(text: string, from: number, to: number): number {
  let i = to;
  while (i > from) {
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) i--;
    else break;
  }
  return i;
}
