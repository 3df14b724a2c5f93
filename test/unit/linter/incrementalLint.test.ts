/**
 * The language server lints statements handed out by the incremental parser: statements moved by
 * an edit keep their parse tree, and what was worked out from a tree (tokens, kept SQL pieces,
 * locks, subcommand ranges) is reused and moved. The findings must be exactly those of a lint of
 * the same text parsed from scratch, fixes and their offsets included.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { IncrementalParser } from '../../../server/src/parser/incremental';
import { initParser, withSectionParser } from '../../../server/src/parser/parse';
import { lintMigration } from '../../../server/src/linter/lint';
import { defaultSettings } from '../../../server/src/config/settings';
import { Catalog } from '../../../server/src/schema/catalog';
import { corpusProjects, projectDirs, sqlFilesUnder } from '../../corpus/corpus';
import { rng, typeOrDelete } from '../../helpers/random';

beforeAll(() => initParser());

const PIECES = ['x', ' ', ';', '\n', 'é', '😀', '(', "'", '-- c\n'];

const settings = defaultSettings();
const lintText = (path: string, text: string, parser?: IncrementalParser) => {
  const m = parser
    ? withSectionParser(parser.parse, () => loadSingleFile(path, text))
    : loadSingleFile(path, text);
  return JSON.parse(JSON.stringify(lintMigration(m, new Catalog(), { settings })));
};

function checkSequence(path: string, text: string, rand: () => number, edits: number): number {
  const parser = new IncrementalParser();
  let current = text;
  let compared = 0;
  lintText(path, current, parser);
  for (let i = 0; i < edits; i++) {
    const next = typeOrDelete(current, rand, PIECES);
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(next))
      continue;
    current = next;
    const got = lintText(path, current, parser);
    expect(got, `${path} after edit ${i}`).toEqual(lintText(path, current));
    compared += got.length;
  }
  return compared;
}

describe('linting incrementally parsed text', () => {
  it('finds what a fresh parse finds when statements before and after an edit move', () => {
    const text = [
      '-- +goose Up',
      'CREATE TABLE a (id int, "naïve" varchar(20), created timestamp DEFAULT now());',
      'CREATE INDEX a_created ON a (created);',
      'ALTER TABLE a ADD COLUMN b int NOT NULL DEFAULT 0, ADD CONSTRAINT a_b CHECK (b > 0);',
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN CREATE TYPE mood AS ENUM ('a'); END IF; END $$;",
      'ALTER TABLE a ALTER COLUMN "naïve" TYPE varchar(10);',
      'CREATE TABLE b (id serial PRIMARY KEY, a_id int REFERENCES a (id));',
      'ALTER TABLE b ADD CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id);',
      'DROP INDEX a_created;',
      '-- +goose Down',
      'DROP TABLE b;',
      '',
    ].join('\n');
    const path = '/db/20240101000000_a.sql';
    const parser = new IncrementalParser();
    lintText(path, text, parser);
    // edits at the start move every statement; one inside a statement moves those after it
    for (const edited of [
      `-- a comment 😀\n${text}`,
      text.replace('CREATE INDEX a_created', 'CREATE  INDEX a_created'),
      text.replace('int NOT NULL', 'bigint NOT NULL'),
    ]) {
      const got = lintText(path, edited, parser);
      expect(got.length).toBeGreaterThan(5);
      expect(got).toEqual(lintText(path, edited));
    }
  });

  it('finds what a fresh parse finds on corpus files under random edits', () => {
    const files = corpusProjects().flatMap((p) => projectDirs(p).flatMap(sqlFilesUnder));
    const rand = rng(20261121);
    let findings = 0;
    for (let n = 0; n < 40; n++) {
      const f = files[Math.floor(rand() * files.length)];
      findings += checkSequence(f, readFileSync(f, 'utf8'), rand, 6);
    }
    // the comparison saw real findings, not only empty lists
    expect(findings).toBeGreaterThan(100);
  });
});
