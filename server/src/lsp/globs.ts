/**
 * Glob patterns for `migrationGlobs`: `**` spans folders, `*` and `?` stay within one, `{a,b}`
 * picks one of several, `[…]` a character class. Relative patterns are relative to a base folder
 * (the workspace folder, or the folder of pgmig.json).
 */
import { isAbsolute, join, sep } from 'node:path';

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        // `**/` matches zero or more folders; a trailing `**` everything below
        out += slashAfter ? '(?:[^/]*(?:/|$))*' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = matchingBrace(glob, i);
      if (close < 0) out += '\\{';
      else {
        const parts = splitTopLevel(glob.slice(i + 1, close));
        out += `(?:${parts.map(globSource).join('|')})`;
        i = close;
      }
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += escapeRegex(c);
  }
  return out;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (s[i] === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** A matcher of absolute paths for globs relative to `base`. */
export function globMatcher(globs: string[], base: string): (absPath: string) => boolean {
  const regexes = globs
    .filter((g) => g.trim() !== '')
    .map((g) => {
      const pattern = toPosix(isAbsolute(g) ? g : join(base, g.replace(/^\.\//, '')));
      return new RegExp(`^${globSource(pattern)}$`);
    });
  return (absPath) => {
    const p = toPosix(absPath);
    return regexes.some((r) => r.test(p));
  };
}
