/**
 * The light lexer (parser/lexer.ts) stands in for PostgreSQL's scanner where only clause
 * boundaries matter. On every statement of the corpus that PostgreSQL accepts, it must put the
 * punctuation that splits clauses — commas, parentheses, brackets, dots, semicolons — exactly where
 * the real scanner does, and never start a token inside one of the scanner's tokens.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PG_KEYWORDS } from '../../server/src/parser/keywords';
import { lightTokens, scannerLikeTokens } from '../../server/src/parser/lexer';
import { initParser, parseSql, scanTokens } from '../../server/src/parser/parse';
import { TextIndex } from '../../server/src/text/positions';
import { corpusProjects, projectDirs, sqlFilesUnder } from './corpus';

const PUNCTUATION = new Set([',', '(', ')', '[', ']', '.', ';']);

beforeAll(async () => {
  await initParser();
});

describe('light lexer against PostgreSQL’s scanner on the corpus', () => {
  it('agrees on every clause boundary of every accepted statement', () => {
    let statements = 0;
    const mismatches: string[] = [];
    for (const p of corpusProjects())
      for (const dir of projectDirs(p))
        for (const file of sqlFilesUnder(dir)) {
          const text = readFileSync(file, 'utf8');
          const index = new TextIndex(text);
          const parsed = parseSql(index);
          if (parsed.errors.length > 0) continue;
          for (const s of parsed.statements) {
            statements++;
            const real = scanTokens(index, s.start, s.end).filter(
              (t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT',
            );
            const light = lightTokens(text, s.start, s.end);
            const want = real.filter((t) => PUNCTUATION.has(t.text)).map((t) => t.start);
            const got = light.filter((t) => PUNCTUATION.has(t.text)).map((t) => t.start);
            const starts = new Set(real.map((t) => t.start));
            const inside = light.filter((t) => !starts.has(t.start));
            if (want.join() !== got.join() || inside.some((t) => PUNCTUATION.has(t.text)))
              mismatches.push(`${file}:${index.positionAt(s.start).line + 1}`);
          }
        }
    expect(statements).toBeGreaterThan(9000);
    expect(mismatches).toEqual([]);
  });
});

describe('scanner-like tokens against PostgreSQL’s scanner on the corpus', () => {
  it('the keyword list is the scanner’s', () => {
    for (const kw of PG_KEYWORDS) {
      const [t] = scanTokens(new TextIndex(kw), 0, kw.length);
      expect(t?.keyword, kw).toBe(kw.toUpperCase());
    }
  });

  it('agree token for token on accepted statements: bounds, keywords, identifiers, strings, casts', () => {
    let tokens = 0;
    const mismatches: string[] = [];
    const kind = (name: string) =>
      ['IDENT', 'SCONST', 'TYPECAST', 'PARAM'].includes(name) ? name : '';
    for (const p of corpusProjects())
      for (const dir of projectDirs(p))
        for (const file of sqlFilesUnder(dir)) {
          const text = readFileSync(file, 'utf8');
          const index = new TextIndex(text);
          const parsed = parseSql(index);
          if (parsed.errors.length > 0) continue;
          for (const s of parsed.statements) {
            const real = scanTokens(index, s.start, s.end).filter(
              (t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT',
            );
            const like = scannerLikeTokens(text, s.start, s.end);
            tokens += real.length;
            const same =
              real.length === like.length &&
              real.every(
                (t, i) =>
                  t.start === like[i].start &&
                  t.end === like[i].end &&
                  t.keyword === like[i].keyword &&
                  kind(t.name) === kind(like[i].name),
              );
            if (!same) mismatches.push(`${file}:${index.positionAt(s.start).line + 1}`);
          }
        }
    expect(tokens).toBeGreaterThan(100_000);
    expect(mismatches).toEqual([]);
  });
});
