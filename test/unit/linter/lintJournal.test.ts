/**
 * The language server lints a migration again after every edit, passing what the previous lint
 * kept (a LintJournal): statements the edit did not touch, and whose schema entries did not
 * change, are not replayed or checked again. The findings must be exactly those of a lint from
 * scratch, fixes and their offsets included, whatever the edit.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { IncrementalParser } from '../../../server/src/parser/incremental';
import { initParser, withSectionParser } from '../../../server/src/parser/parse';
import { lintMigration } from '../../../server/src/linter/lint';
import { LintJournal } from '../../../server/src/linter/journal';
import { defaultSettings } from '../../../server/src/config/settings';
import { Catalog } from '../../../server/src/schema/catalog';
import { corpusProjects, projectDirs, sqlFilesUnder, CORPUS_DIR } from '../../corpus/corpus';
import { rng, typeOrDelete } from '../../helpers/random';
// @ts-expect-error: plain JavaScript shared with the benchmark
import { buildMigration, corpusStatements } from '../../../bench/lsp-files.mjs';

beforeAll(() => initParser());

const PIECES = ['x', ' ', ';', '\n', '(', "'", '-- c\n', 'DROP TABLE users;\n', ' CASCADE'];

/** Typing and deleting, and the benchmark's edit: a letter typed into a word. */
function randomEdit(text: string, rand: () => number): string {
  if (rand() >= 0.4) return typeOrDelete(text, rand, PIECES);
  for (;;) {
    const at = 1 + Math.floor(rand() * (text.length - 1));
    if (/[a-z_]/i.test(text[at - 1]) && /[a-z_ (,;]/i.test(text[at]))
      return text.slice(0, at) + 'x' + text.slice(at);
  }
}

const settings = defaultSettings();

class Session {
  private readonly parser = new IncrementalParser();
  private readonly journal = new LintJournal();

  constructor(private readonly path: string) {}

  /** Findings of the text as the language server gets them: incremental parse, kept journal. */
  lint(text: string): unknown[] {
    const m = withSectionParser(this.parser.parse, () => loadSingleFile(this.path, text));
    return plain(lintMigration(m, new Catalog(), { settings, journal: this.journal }));
  }

  /** Lints the text and expects a lint from scratch to find the same; returns the findings. */
  check(text: string, what = this.path): unknown[] {
    const got = this.lint(text);
    expect(got, what).toEqual(fresh(this.path, text));
    return got;
  }
}

const plain = (v: unknown): unknown[] => JSON.parse(JSON.stringify(v)) as unknown[];
const fresh = (path: string, text: string) =>
  plain(lintMigration(loadSingleFile(path, text), new Catalog(), { settings }));

function checkSequence(path: string, text: string, rand: () => number, edits: number): number {
  const session = new Session(path);
  let current = text;
  let compared = 0;
  session.check(current);
  for (let i = 0; i < edits; i++) {
    current = rand() < 0.15 ? text : randomEdit(current, rand);
    compared += session.check(current, `${path} after edit ${i}`).length;
  }
  return compared;
}

describe('linting again with what the previous lint kept', () => {
  it('finds what a lint from scratch finds when statements are edited, added and removed', () => {
    const text = [
      '-- +goose Up',
      'CREATE TABLE users (id serial PRIMARY KEY, email varchar(100), created timestamp);',
      'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));',
      'CREATE INDEX orders_user ON orders (user_id);',
      'ALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT 0;',
      "COMMENT ON COLUMN users.email IS 'mail';",
      'ALTER TABLE users RENAME COLUMN email TO mail;',
      'ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (id > 0);',
      'DROP INDEX orders_user;',
      'ALTER TABLE orders RENAME TO purchases;',
      'CREATE TABLE audit (id bigserial, at timestamptz);',
      'DROP TABLE purchases;',
      'ALTER TABLE users ALTER COLUMN name TYPE varchar(20);',
      'CREATE TABLE things (id bigint, label varchar(30), at timestamp);',
      "INSERT INTO things VALUES (1, 'a', now());",
      'CREATE INDEX things_label ON things (lower(label));',
      '-- +goose Down',
      'DROP TABLE audit;',
      '',
    ].join('\n');
    const path = '/db/20240101000000_a.sql';
    const session = new Session(path);
    session.lint(text);
    for (const edited of [
      text.replace('CREATE TABLE users', 'CREATE TABLE usersx'),
      text,
      text.replace('DROP INDEX orders_user;', ''),
      text.replace('CREATE INDEX', 'CREATE UNIQUE INDEX'),
      text.replace("COMMENT ON COLUMN users.email IS 'mail';", 'DROP TABLE users CASCADE;'),
      `-- moved 😀\n${text}`,
      text.replace('-- +goose Up', '-- +goose Up\n-- +goose NO TRANSACTION'),
      text,
      // a later index stops reading the column: the earlier type finding can now offer text
      text.replace('(lower(label))', '(lower(id::text))'),
      text,
      text.replace('CREATE INDEX things_label', '-- CREATE INDEX things_label'),
      text,
      // ignore comments take the file's line break, which its first line decides
      text.replace('\n', '\r\n'),
      text,
    ])
      expect(session.check(edited).length).toBeGreaterThan(5);
  });

  it('keeps up with rules whose reach changes with the transaction', () => {
    // in a transaction the CONCURRENTLY rule offers section-wide fixes, outside it says nothing:
    // the same statement is checked again, and what was kept for it must follow
    const text = [
      '-- +goose Up',
      'CREATE INDEX CONCURRENTLY a_idx ON a (x);',
      'SELECT 1;',
      'CREATE INDEX CONCURRENTLY b_idx ON b (y);',
      '',
    ].join('\n');
    const path = '/db/20240101000000_cic.sql';
    const session = new Session(path);
    const outside = text.replace('-- +goose Up', '-- +goose Up\n-- +goose NO TRANSACTION');
    for (const edited of [
      outside,
      text,
      text.replace('SELECT 1', 'SELECT 2'),
      outside,
      outside.replace('SELECT 1', 'SELECT 3'),
    ])
      session.check(edited);
  });

  it('finds what a lint from scratch finds on corpus files under random edits', () => {
    const files = corpusProjects().flatMap((p) => projectDirs(p).flatMap(sqlFilesUnder));
    const rand = rng(20261122);
    let findings = 0;
    for (let n = 0; n < 40; n++) {
      const f = files[Math.floor(rand() * files.length)];
      findings += checkSequence(f, readFileSync(f, 'utf8'), rand, 6);
    }
    expect(findings).toBeGreaterThan(100);
  });

  it('finds what a lint from scratch finds on a long migration of corpus statements', async () => {
    const pools = (await corpusStatements(CORPUS_DIR)) as string[][];
    const rand = rng(7);
    let findings = 0;
    // two different mixes: the schema model grows, is renamed and dropped in long sections
    for (const [count, edits] of [
      [400, 60],
      [900, 25],
    ]) {
      const rotated = pools.map((p) => p.slice(Math.floor(rand() * p.length)).concat(p));
      const text = buildMigration(rotated, count) as string;
      findings += checkSequence('/db/20240101000000_long.sql', text, rand, edits);
    }
    expect(findings).toBeGreaterThan(1000);
  }, 120_000);
});
