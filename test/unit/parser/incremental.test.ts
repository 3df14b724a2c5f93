/**
 * The incremental parser must give exactly what parseSql gives on the edited text: same
 * statements, ranges, AST locations and syntax errors. Checked on corpus files under seeded
 * random edit sequences, and on the edits that change how the rest of a file lexes.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { sourceFile } from '../../../server/src/folder/format';
import { diffTexts, IncrementalParser } from '../../../server/src/parser/incremental';
import {
  initParser,
  parseSql,
  withSectionParser,
  type ParseResult,
} from '../../../server/src/parser/parse';
import { walkAst } from '../../../server/src/parser/ast';
import { TextIndex } from '../../../server/src/text/positions';
import { corpusProjects, projectDirs, sqlFilesUnder } from '../../corpus/corpus';
import { rng } from '../../helpers/random';

beforeAll(() => initParser());

/** Everything observable about a parse: ranges, kinds, located AST positions and errors. */
function shape(r: ParseResult) {
  return {
    statements: r.statements.map((s) => {
      const locations: number[] = [];
      // libpg-query leaves out a location of 0 (a node at the start of the parsed text), and
      // offsetOf(undefined) gives that start: such nodes sit at the statement's start in every
      // parse mode, present or not, so positions equal to the start are not compared
      walkAst(s.ast, (k, v) => {
        if (v && typeof v === 'object' && typeof v.location === 'number' && v.location >= 0) {
          const at = s.offsetOf(v.location);
          if (at !== s.start) locations.push(at);
        }
      });
      return {
        start: s.start,
        end: s.end,
        terminatorEnd: s.terminatorEnd,
        kind: s.kind,
        text: s.text,
        locations,
      };
    }),
    errors: r.errors.map((e) => ({ ...e })),
  };
}

const PIECES = [
  'x',
  ' ',
  ';',
  "'",
  '"',
  '$$',
  '--',
  '\n',
  '(',
  ')',
  '/*',
  '*/',
  'é',
  '😀',
  'BEGIN',
];

function randomEdit(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const r = rand();
  if (r < 0.45) {
    const piece = PIECES[Math.floor(rand() * PIECES.length)];
    return text.slice(0, at) + piece + text.slice(at);
  }
  if (r < 0.85) {
    const len = 1 + Math.floor(rand() * (rand() < 0.8 ? 3 : 80));
    return text.slice(0, at) + text.slice(at + len);
  }
  // paste a copy of another part of the file
  const from = Math.floor(rand() * text.length);
  return text.slice(0, at) + text.slice(from, from + Math.floor(rand() * 200)) + text.slice(at);
}

function checkSequence(
  path: string,
  text: string,
  rand: () => number,
  edits: number,
): IncrementalParser['stats'] {
  const parser = new IncrementalParser();
  let current = text;
  parser.parse({ path, index: new TextIndex(current) }, 0, current.length);
  for (let i = 0; i < edits; i++) {
    const next = randomEdit(current, rand);
    // avoid cutting surrogate pairs: the editor never produces half a character
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(next))
      continue;
    current = next;
    const index = new TextIndex(current);
    const got = parser.parse({ path, index }, 0, current.length);
    const want = parseSql(new TextIndex(current), 0, current.length);
    expect(shape(got), `${path} after edit ${i}`).toEqual(shape(want));
  }
  return parser.stats;
}

describe('diffTexts', () => {
  it('finds the changed middle, and keeps surrogate pairs whole', () => {
    expect(diffTexts('abcdef', 'abXdef')).toEqual({ start: 2, oldEnd: 3, newEnd: 3 });
    expect(diffTexts('abc', 'abc')).toBeUndefined();
    expect(diffTexts('aaa', 'aaaa')).toEqual({ start: 3, oldEnd: 3, newEnd: 4 });
    const big = 'x'.repeat(5000);
    expect(diffTexts(`${big}1${big}`, `${big}22${big}`)).toEqual({
      start: 5000,
      oldEnd: 5001,
      newEnd: 5002,
    });
    const d = diffTexts('a😀b', 'a😃b')!;
    expect(d.start).toBe(1);
    expect(d.oldEnd).toBe(3);
  });
});

describe('IncrementalParser', () => {
  it('re-parses only the statements around an edit', () => {
    const parser = new IncrementalParser();
    const text = Array.from({ length: 200 }, (_, i) => `CREATE TABLE t${i} (id int);`).join('\n');
    const first = parser.parse({ path: '/m.sql', index: new TextIndex(text) }, 0, text.length);
    const edited = text.replace('t100 (id int)', 't100 (id bigint)');
    const before = { ...parser.stats };
    const second = parser.parse({ path: '/m.sql', index: new TextIndex(edited) }, 0, edited.length);
    expect(parser.stats.fullParses).toBe(before.fullParses);
    expect(parser.stats.reused - before.reused).toBe(100);
    expect(parser.stats.shifted - before.shifted).toBe(99);
    // statements before the edit are the same objects, so their cached tokens survive
    expect(second.statements[5]).toBe(first.statements[5]);
    expect(shape(second)).toEqual(shape(parseSql(new TextIndex(edited))));
  });

  it('follows edits that change how the rest of the file lexes', () => {
    const base = "CREATE TABLE a (id int);\nSELECT 'x';\nCREATE TABLE b (id int);\nSELECT 1;\n";
    const variants = [
      base.replace("SELECT 'x'", "SELECT 'x"), // opens a literal up to a later quote
      base.replace('SELECT 1;', 'SELECT $$1;'),
      base.replace('CREATE TABLE b', '/* CREATE TABLE b'),
      base.replace("SELECT 'x';", "SELECT 'x'"), // removes a boundary
      `${base}CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO b VALUES (2));\n`,
    ];
    for (const v of variants) {
      for (const [from, to] of [
        [base, v],
        [v, base],
      ]) {
        const parser = new IncrementalParser();
        parser.parse({ path: '/m.sql', index: new TextIndex(from) }, 0, from.length);
        const got = parser.parse({ path: '/m.sql', index: new TextIndex(to) }, 0, to.length);
        expect(shape(got), to).toEqual(shape(parseSql(new TextIndex(to))));
      }
    }
  });

  it('a rule with two actions stays one statement when an error appears elsewhere', () => {
    const rule =
      'CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO b VALUES (2));';
    const text = `SELECT 1;\n${rule}\nSELECT 2;\n`;
    const broken = text.replace('SELECT 2', 'SELEC 2');
    const parser = new IncrementalParser();
    parser.parse({ path: '/m.sql', index: new TextIndex(text) }, 0, text.length);
    const got = parser.parse({ path: '/m.sql', index: new TextIndex(broken) }, 0, broken.length);
    expect(shape(got)).toEqual(shape(parseSql(new TextIndex(broken))));
    const fixed = parser.parse({ path: '/m.sql', index: new TextIndex(text) }, 0, text.length);
    expect(shape(fixed)).toEqual(shape(parseSql(new TextIndex(text))));
  });

  // PGMIG_INC_FILES / PGMIG_INC_SEED widen the search locally (3 seeds x 3,000 files pass)
  it('equals parseSql on corpus files under random edit sequences', () => {
    const files = corpusProjects().flatMap((p) => projectDirs(p).flatMap(sqlFilesUnder));
    const rand = rng(Number(process.env.PGMIG_INC_SEED ?? 20240611));
    const picked = Array.from(
      { length: Number(process.env.PGMIG_INC_FILES ?? 60) },
      () => files[Math.floor(rand() * files.length)],
    );
    const total = { reparsedSections: 0, fullParses: 0, shifted: 0 };
    for (const f of picked) {
      const s = checkSequence(f, readFileSync(f, 'utf8'), rand, 12);
      total.reparsedSections += s.reparsedSections;
      total.fullParses += s.fullParses;
      total.shifted += s.shifted;
    }
    // the incremental path did the work: most edits re-parsed a region only
    expect(total.reparsedSections).toBeGreaterThan(total.fullParses);
    expect(total.shifted).toBeGreaterThan(0);
  });

  it('serves the sections of a format through withSectionParser', () => {
    const text = [
      '-- +goose Up',
      'CREATE TABLE a (id int);',
      'CREATE INDEX a_id ON a (id);',
      '-- +goose Down',
      'DROP TABLE a;',
      '',
    ].join('\n');
    const parser = new IncrementalParser();
    const load = (t: string) =>
      withSectionParser(parser.parse, () => loadSingleFile('/db/001_a.sql', t));
    load(text);
    const edited = text.replace('CREATE INDEX a_id', 'CREATE UNIQUE INDEX a_id');
    const got = load(edited);
    const want = loadSingleFile('/db/001_a.sql', edited);
    expect(got.sections.map((s) => shape(s.parsed))).toEqual(
      want.sections.map((s) => shape(s.parsed)),
    );
    // the DOWN section after the edit moved and was not parsed again
    expect(parser.stats.shifted).toBe(1);
    expect(sourceFile('/x', edited).text).toBe(edited);
  });
});
