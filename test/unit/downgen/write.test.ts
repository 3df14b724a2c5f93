import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDown } from '../../../server/src/downgen/generate';
import { downEdits } from '../../../server/src/downgen/write';
import { loadFolder } from '../../../server/src/folder/load';
import { replayMigration } from '../../../server/src/linter/lint';
import { Catalog } from '../../../server/src/schema/catalog';
import { applyEdits, initParser, writeFolder } from '../helpers/lint';

beforeAll(() => initParser());

/**
 * Writes the generated DOWN of the folder's last migration, reloads the folder and returns the
 * written DOWN section's source text and the files' contents.
 */
function writeDown(files: Record<string, string>, options: { replace?: boolean } = {}) {
  const root = writeFolder(files);
  const folder = loadFolder(root);
  const catalog = new Catalog();
  const last = folder.migrations[folder.migrations.length - 1];
  for (const m of folder.migrations.slice(0, -1)) replayMigration(m, catalog);
  const up = last.sections.filter((s) => s.kind === 'up').flatMap((s) => s.parsed.statements);
  const w = downEdits(last, generateDown(up, catalog, { migrationId: last.id }), options);
  const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
  if ('error' in w) return { error: w.error, root, read };
  applyEdits(w.edits);
  const again = loadFolder(root);
  const m = again.migrations.find((x) => x.id === last.id)!;
  const down = m.sections.find((s) => s.kind === 'down');
  return {
    root,
    format: again.format,
    down: down && down.file.text.slice(down.start, down.end),
    downFile: down?.file.path,
    downTx: down?.transaction,
    read,
  };
}

const FIRST = 'CREATE TABLE a (id bigint PRIMARY KEY);';

describe('writing a generated DOWN where the runner reads it', () => {
  it('goose: a -- +goose Down section; function bodies between StatementBegin/End', () => {
    const r = writeDown({
      '001_a.sql': `-- +goose Up\n${FIRST}\n-- +goose Down\nDROP TABLE a;\n`,
      '002_b.sql': `-- +goose Up\nALTER TABLE a ADD COLUMN b text;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n`,
    });
    expect(r.format).toBe('goose');
    expect(r.read('002_b.sql')).toBe(
      `-- +goose Up\nALTER TABLE a ADD COLUMN b text;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n\n-- +goose Down\nDROP FUNCTION public.f();\nALTER TABLE a DROP COLUMN b;\n`,
    );
    const r2 = writeDown({
      '001_a.sql': `-- +goose Up\n${FIRST}\n-- +goose Down\nDROP TABLE a;\n`,
      '002_b.sql': `-- +goose Up\nDROP FUNCTION IF EXISTS g();\n`,
      '000_g.sql': `-- +goose Up\nCREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n-- +goose Down\nDROP FUNCTION g();\n`,
    });
    expect(r2.down).toBe(
      '-- +goose StatementBegin\nCREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n-- +goose StatementEnd\n',
    );
  });

  it('dbmate: -- migrate:down, with transaction:false when the UP has it', () => {
    const r = writeDown({
      '1_a.sql': `-- migrate:up\n${FIRST}\n-- migrate:down\nDROP TABLE a;\n`,
      '2_b.sql': '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n',
    });
    expect(r.read('2_b.sql')).toBe(
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS a_id;\n',
    );
    // the runner runs it outside a transaction as it does the UP
    expect(r.downTx).not.toBe('transaction');
  });

  it('plain: -- DOWN; a file without markers gets -- UP too', () => {
    const r = writeDown({
      '1_a.sql': `-- UP\n${FIRST}\n-- DOWN\nDROP TABLE a;\n`,
      '2_b.sql': 'ALTER TABLE a ADD COLUMN b text;',
    });
    expect(r.read('2_b.sql')).toBe(
      '-- UP\nALTER TABLE a ADD COLUMN b text;\n\n-- DOWN\nALTER TABLE a DROP COLUMN b;\n',
    );
    expect(r.down).toBe('ALTER TABLE a DROP COLUMN b;\n');
  });

  it('node-pg-migrate: -- Down Migration', () => {
    const r = writeDown({
      '1_a.sql': `-- Up Migration\n${FIRST}\n-- Down Migration\nDROP TABLE a;\n`,
      '2_b.sql': '-- Up Migration\nCREATE SCHEMA app;\n',
    });
    expect(r.format).toBe('node-pg-migrate');
    expect(r.down).toBe('DROP SCHEMA app;\n');
  });

  it('golang-migrate: the sibling .down.sql file', () => {
    const r = writeDown({
      '1_a.up.sql': `${FIRST}\n`,
      '1_a.down.sql': 'DROP TABLE a;\n',
      '2_b.up.sql': "COMMENT ON TABLE a IS 'x';\n",
    });
    expect(r.read('2_b.down.sql')).toBe('COMMENT ON TABLE a IS NULL;\n');
  });

  it('popx: the down file with the same dialect and autocommit infixes', () => {
    const r = writeDown({
      '20200101000000_a.postgres.up.sql': `${FIRST}\n`,
      '20200101000000_a.postgres.down.sql': 'DROP TABLE a;\n',
      '20200101000001_b.postgres.autocommit.up.sql': 'CREATE INDEX CONCURRENTLY a_id ON a (id);\n',
    });
    expect(r.format).toBe('popx');
    expect(r.read('20200101000001_b.postgres.autocommit.down.sql')).toBe(
      'DROP INDEX CONCURRENTLY IF EXISTS a_id;\n',
    );
  });

  it('diesel: down.sql in the migration directory', () => {
    const r = writeDown({
      '2020-01-01-000000_a/up.sql': `${FIRST}\n`,
      '2020-01-01-000000_a/down.sql': 'DROP TABLE a;\n',
      '2020-01-02-000000_b/up.sql': 'ALTER TABLE a RENAME TO b;\n',
    });
    expect(r.format).toBe('diesel');
    expect(r.read('2020-01-02-000000_b/down.sql')).toBe('ALTER TABLE b RENAME TO a;\n');
  });

  it('Flyway: the U file of the version, where the folder keeps undo files', () => {
    const r = writeDown({
      'V1__a.sql': `${FIRST}\n`,
      'U1__a.sql': 'DROP TABLE a;\n',
      'V2__b.sql': 'ALTER TABLE a ADD COLUMN b text;\n',
    });
    expect(r.read('U2__b.sql')).toBe('ALTER TABLE a DROP COLUMN b;\n');
  });

  it('sqitch: revert/<change>.sql, in a transaction like the deploy script', () => {
    const r = writeDown({
      'sqitch.plan':
        '%syntax-version=1.0.0\n%project=x\n\na 2014-01-01T00:00:00Z A <a@example.com> # a\nb 2014-01-02T00:00:00Z A <a@example.com> # b\n',
      'deploy/a.sql': `BEGIN;\n${FIRST}\nCOMMIT;\n`,
      'revert/a.sql': 'BEGIN;\nDROP TABLE a;\nCOMMIT;\n',
      'deploy/b.sql': 'BEGIN;\nALTER TABLE a ADD COLUMN b text;\nCOMMIT;\n',
    });
    expect(r.format).toBe('sqitch');
    expect(r.read('revert/b.sql')).toBe('BEGIN;\n\nALTER TABLE a DROP COLUMN b;\n\nCOMMIT;\n');
  });

  it('an existing DOWN is kept unless replacing is asked for', () => {
    const files = {
      '1_a.up.sql': `${FIRST}\n`,
      '1_a.down.sql': '-- irreversible on purpose\n',
    };
    expect(writeDown(files).error).toMatch(/already has a DOWN/);
    expect(writeDown(files, { replace: true }).down).toBe('DROP TABLE a;\n');
  });

  it('formats without DOWN migrations: an error, no edit', () => {
    const r = writeDown({
      '20200101000000_a/migration.sql': `${FIRST}\n`,
      '20200102000000_b/migration.sql': 'ALTER TABLE a ADD COLUMN b text;\n',
    });
    expect(r.error).toMatch(/prisma migrations keep no DOWN/);
  });
});
