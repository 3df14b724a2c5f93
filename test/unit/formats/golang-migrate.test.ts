import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

describe('golang-migrate format', () => {
  it('pairs up/down files by version, orders numerically, one query per file', () => {
    const { root, folder } = load({
      '10_later.up.sql': 'CREATE TABLE b (id int);',
      '10_later.down.sql': 'DROP TABLE b;',
      '9_first.up.sql': 'CREATE TABLE a (id int); CREATE INDEX a_i ON a (id);',
      '9_first.down.sql': 'DROP TABLE a;',
      'README.md': 'notes',
    });
    expect(folder.format).toBe('golang-migrate');
    // numeric, not string, order: 9 before 10
    expect(shape(folder)).toEqual([
      '9 [up:single-query:CreateStmt,IndexStmt down:single-query:DropStmt]',
      '10 [up:single-query:CreateStmt down:single-query:DropStmt]',
    ]);
    const [first] = folder.migrations;
    expect(first.name).toBe('first');
    expect(first.label).toBe('9_first.up.sql');
    expect(first.downTarget).toEqual({ kind: 'file', path: join(root, '9_first.down.sql') });
    expect(folder.ignoredFiles).toEqual(['README.md']);
  });

  it('accepts up-only folders and points the missing down at the sibling file', () => {
    const { root, folder } = load({ '0001_init.up.sql': 'CREATE TABLE t (id int);' });
    const [m] = folder.migrations;
    expect(shape(folder)).toEqual(['0001 [up:single-query:CreateStmt]']);
    expect(m.formatHasDown).toBe(true);
    expect(m.downTarget).toEqual({ kind: 'file', path: join(root, '0001_init.down.sql') });
  });

  it("reads authelia's V0001.Name.up.sql variant as the same family", () => {
    const { folder } = load({
      'V0002.Second.up.sql': 'SELECT 2;',
      'V0001.Initial_Schema.up.sql': 'SELECT 1;',
      'V0001.Initial_Schema.down.sql': 'SELECT -1;',
    });
    expect(folder.format).toBe('golang-migrate');
    expect(folder.migrations.map((m) => [m.version, m.name])).toEqual([
      ['0001', 'Initial_Schema'],
      ['0002', 'Second'],
    ]);
  });

  it('sees a lone .down.sql file as a down section whose target is itself', () => {
    const m = loadSingleFile('/x/0003_drop.down.sql', 'DROP TABLE t;');
    expect(m.format).toBe('golang-migrate');
    expect(m.sections.map((s) => `${s.kind}:${s.transaction}`)).toEqual(['down:single-query']);
    expect(m.downTarget).toEqual({ kind: 'file', path: '/x/0003_drop.down.sql' });
  });

  it('creates an up/down pair in the folder naming style that re-loads in order', () => {
    const { root, folder } = load({
      '000001_a.up.sql': 'SELECT 1;',
      '000001_a.down.sql': 'SELECT 1;',
    });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'idx',
      'CREATE INDEX CONCURRENTLY i ON t (x);',
      'DROP INDEX CONCURRENTLY i;',
      false,
    );
    expect(written).toEqual(['000002_idx.up.sql', '000002_idx.down.sql']);
    expect(reloaded.format).toBe('golang-migrate');
    expect(shape(reloaded)[1]).toBe(
      '000002 [up:single-query:IndexStmt down:single-query:DropStmt]',
    );

    const authelia = load({ 'V0001.Init.up.sql': 'SELECT 1;' });
    const a = addAfter(
      authelia.root,
      authelia.folder,
      authelia.folder.migrations[0],
      'Next',
      'SELECT 2;',
      undefined,
      true,
    );
    // an up-only folder stays up-only
    expect(a.written).toEqual(['V0002.Next.up.sql']);
    expect(a.reloaded.migrations.map((m) => m.version)).toEqual(['0001', '0002']);
  });
});
