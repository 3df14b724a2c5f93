import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

const BP = '--> statement-breakpoint';

describe('drizzle format', () => {
  it('splits files at statement breakpoints and orders them by the journal', () => {
    const journal = {
      version: '7',
      dialect: 'postgresql',
      entries: [
        { idx: 0, tag: '0000_init', when: 1 },
        { idx: 1, tag: '0002_later', when: 2 },
        { idx: 2, tag: '0001_earlier', when: 3 },
      ],
    };
    const { folder } = load({
      '0000_init.sql': `CREATE TABLE "t" ("a" int);\n${BP}\nCREATE INDEX "i" ON "t" ("a");\n`,
      '0001_earlier.sql': 'ALTER TABLE "t" ADD COLUMN "b" int;\n',
      '0002_later.sql': `ALTER TABLE "t" ADD COLUMN "c" int;\n${BP}\nSELECT 1;\n`,
      '0003_not_journaled.sql': 'DROP TABLE "t";\n',
      'meta/_journal.json': JSON.stringify(journal),
      'meta/0000_snapshot.json': '{}',
    });
    expect(folder.format).toBe('drizzle');
    expect(shape(folder)).toEqual([
      '0000 [up:transaction:CreateStmt,IndexStmt]',
      '0002 [up:transaction:AlterTableStmt,SelectStmt]',
      '0001 [up:transaction:AlterTableStmt]',
    ]);
    expect(folder.migrations[0].label).toBe('0000_init.sql');
    expect(folder.migrations[0].formatHasDown).toBe(false);
    // drizzle's migrator only runs what the journal lists
    expect(folder.ignoredFiles).toContain('0003_not_journaled.sql');
  });

  it('orders by name without a journal', () => {
    const { folder } = load({
      '0001_b.sql': `SELECT 1;\n${BP}\nSELECT 2;\n`,
      '0000_a.sql': `SELECT 1;\n${BP}\nSELECT 2;\n`,
    });
    expect(folder.format).toBe('drizzle');
    expect(folder.migrations.map((m) => m.name)).toEqual(['a', 'b']);
  });

  it('recognises a file on its own by its breakpoints', () => {
    const m = loadSingleFile('/d/0000_x.sql', `SELECT 1;\n${BP}\nSELECT 2;\n`);
    expect(m.format).toBe('drizzle');
    expect(m.sections.map((s) => s.parsed.statements.length)).toEqual([2]);
    expect(loadSingleFile('/d/0000_x.sql', 'SELECT 1;').format).toBe('unknown');
  });

  it('creates a follow-up with breakpoints between statements when there is no journal', () => {
    const { root, folder } = load({ '0000_a.sql': `SELECT 1;\n${BP}\nSELECT 2;\n` });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'b',
      'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);',
      undefined,
      true,
    );
    expect(written).toEqual(['0001_b.sql']);
    expect(reloaded.format).toBe('drizzle');
    expect(reloaded.migrations[1].files[0].text).toContain(BP);
    expect(shape(reloaded)[1]).toBe('0001 [up:transaction:CreateStmt,IndexStmt]');
  });
});
