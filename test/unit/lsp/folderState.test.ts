/**
 * The language server's folder model keeps, per migration, what its last lint worked out. An edit
 * of an earlier migration changes the schema model the later ones start from: what was kept for
 * them must not be reused, and their findings must be those of a folder loaded from scratch.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../server/src/config/load';
import { FolderState } from '../../../server/src/lsp/folderState';
import { IncrementalParser } from '../../../server/src/parser/incremental';
import { initParser } from '../../../server/src/parser/parse';
import { RULES } from '../../../server/src/rules';
import { writeFolder } from '../helpers/lint';

beforeAll(() => initParser());

const FIRST = [
  '-- +goose Up',
  'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(40));',
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);',
  '',
].join('\n');

const SECOND = [
  '-- +goose Up',
  'ALTER TABLE users ALTER COLUMN name TYPE text;',
  'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);',
  'CREATE INDEX orders_user_idx ON orders (user_id);',
  'ALTER TABLE users ADD COLUMN created timestamp;',
  '',
].join('\n');

function state(root: string, overlay: Map<string, string>): FolderState {
  const config = loadSettings({ cwd: root, knownRules: new Set(RULES.map((r) => r.id)) });
  const s = new FolderState(root, config, new IncrementalParser());
  s.reload(overlay);
  return s;
}

const findings = (s: FolderState, i: number) => JSON.parse(JSON.stringify(s.lint(i))) as unknown;

describe('folder model with kept lints', () => {
  it('lints a later migration afresh when an earlier one changes', () => {
    const root = writeFolder({ '20240101_first.sql': FIRST, '20240102_second.sql': SECOND });
    const first = join(root, '20240101_first.sql');
    const second = join(root, '20240102_second.sql');
    const overlay = new Map([
      [first, FIRST],
      [second, SECOND],
    ]);
    const live = state(root, overlay);
    const before = findings(live, 1);
    expect(before).toEqual(findings(state(root, overlay), 1));
    for (const text of [
      // the table the second migration alters no longer exists, then comes back changed
      FIRST.replace('CREATE TABLE users', 'CREATE TABLE people'),
      FIRST.replace('name varchar(40)', 'name text').replace('user_id bigint', 'user_id int'),
      FIRST,
    ]) {
      overlay.set(first, text);
      live.update(first, overlay);
      const got = findings(live, 1);
      expect(got).toEqual(findings(state(root, overlay), 1));
      if (text.includes('people')) expect(got).not.toEqual(before);
    }
    // an edit of the migration itself, then back
    overlay.set(second, SECOND.replace('CREATE INDEX', 'CREATE INDEX CONCURRENTLY'));
    live.update(second, overlay);
    expect(findings(live, 1)).toEqual(findings(state(root, overlay), 1));
    overlay.set(second, SECOND);
    live.update(second, overlay);
    expect(findings(live, 1)).toEqual(before);
  });

  it('still sees the indexes later migrations create after an edit', () => {
    // require-index-for-foreign-key looks ahead in the folder: an edit replaces the migration
    // in the same folder object, which must not hide the later index
    const a = [
      '-- +goose Up',
      'CREATE TABLE parent (id bigint PRIMARY KEY);',
      'CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));',
      '',
    ].join('\n');
    const b = '-- +goose Up\nCREATE INDEX child_parent_idx ON child (parent_id);\n';
    const root = writeFolder({ '20240101_a.sql': a, '20240102_b.sql': b });
    const first = join(root, '20240101_a.sql');
    const overlay = new Map([
      [first, a],
      [join(root, '20240102_b.sql'), b],
    ]);
    const live = state(root, overlay);
    const fkRule = () =>
      live.lint(0).filter((v) => v.rule === 'require-index-for-foreign-key').length;
    expect(fkRule()).toBe(0);
    overlay.set(first, `${a}\n-- edited\n`);
    live.update(first, overlay);
    expect(fkRule()).toBe(0);
    // and without the later index the finding is there
    overlay.set(join(root, '20240102_b.sql'), '-- +goose Up\nSELECT 1;\n');
    live.update(join(root, '20240102_b.sql'), overlay);
    expect(fkRule()).toBe(1);
  });
});
