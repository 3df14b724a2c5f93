/** Status merging and run planning on folder models, without a database. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { contentHash } from '../../../server/src/runner/checksum';
import { dbmateHistory } from '../../../server/src/runner/history/dbmate';
import { gooseHistory } from '../../../server/src/runner/history/goose';
import { flywayChecksum } from '../../../server/src/runner/history/checksums';
import { planDown, PlanError, planUp } from '../../../server/src/runner/plan';
import type { SideRow } from '../../../server/src/runner/sideTable';
import { computeStatus } from '../../../server/src/runner/status';
import { writeFolder } from '../helpers/lint';

beforeAll(initParser);

function goose(n: number, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { ...extra };
  for (let i = 1; i <= n; i++)
    files[`00${i}_m${i}.sql`] =
      `-- +goose Up\nCREATE TABLE t${i} (id int);\n-- +goose Down\nDROP TABLE t${i};\n`;
  return loadFolder(writeFolder(files));
}

describe('computeStatus', () => {
  it('merges the history, the side table and the files', () => {
    const folder = goose(4);
    const rows = [
      { key: '1', version: '1' },
      { key: '3', version: '3' },
      { key: '9', version: '9' },
    ];
    const side = new Map<string, SideRow>([
      ['3', { key: '3', state: 'applied', checksum: 'old', appliedAt: new Date(0) }],
      [
        '4',
        {
          key: '4',
          state: 'failed',
          appliedAt: new Date(0),
          failure: { kind: 'sql', message: 'boom' },
        },
      ],
    ]);
    const entries = computeStatus(folder, gooseHistory, rows, side);
    expect(entries.map((e) => [e.version, e.state, e.outOfOrder ?? false])).toEqual([
      ['001', 'applied', false],
      ['002', 'pending', true],
      ['003', 'changed-since-applied', false],
      ['004', 'failed', false],
      ['9', 'missing-file', false],
    ]);
    expect(entries[3].failure?.message).toBe('boom');
    const same = new Map<string, SideRow>([
      [
        '3',
        {
          key: '3',
          state: 'applied',
          checksum: contentHash(folder.migrations[2]),
          appliedAt: new Date(0),
        },
      ],
    ]);
    expect(computeStatus(folder, gooseHistory, rows, same)[2].state).toBe('applied');
  });
});

describe('planUp / planDown', () => {
  it('plans pending migrations up to a version or a file, and the last applied for down', () => {
    const folder = goose(4);
    const entries = computeStatus(
      folder,
      gooseHistory,
      [
        { key: '1', version: '1' },
        { key: '2', version: '2' },
      ],
      new Map(),
    );
    expect(planUp(entries).map((m) => m.version)).toEqual(['003', '004']);
    expect(planUp(entries, { to: '3' }).map((m) => m.version)).toEqual(['003']);
    expect(
      planUp(entries, { file: folder.migrations[3].files[0].path }).map((m) => m.version),
    ).toEqual(['003', '004']);
    expect(planDown(entries).map((e) => e.version)).toEqual(['002']);
    expect(planDown(entries, { count: 5 }).map((e) => e.version)).toEqual(['002', '001']);
    expect(planDown(entries, { to: '001' }).map((e) => e.version)).toEqual(['002']);
    expect(planDown(entries, { to: '0' }).map((e) => e.version)).toEqual(['002', '001']);
    expect(() => planUp(entries, { to: '2024' })).toThrow(PlanError);
    expect(() => planUp(entries, { to: '0077' })).toThrow(
      "no migration with version '0077' (nearest: 004)",
    );
    expect(() => planUp(entries, { to: '002.5' })).toThrow(
      "no migration with version '002.5' (nearest: 002, 003)",
    );
  });

  it('rolls back in the order the history says things were applied', () => {
    const folder = goose(3);
    // 002 was applied last (out of order)
    const entries = computeStatus(folder, dbmateHistory, [], new Map());
    expect(entries.every((e) => e.state === 'pending')).toBe(true);
    const rows = [
      { key: '1', version: '1' },
      { key: '3', version: '3' },
      { key: '2', version: '2' },
    ];
    const applied = computeStatus(folder, gooseHistory, rows, new Map());
    expect(planDown(applied, { count: 2 }).map((e) => e.version)).toEqual(['002', '003']);
  });

  it('refuses a DOWN without a DOWN section, and anything while a migration is failed', () => {
    const folder = loadFolder(
      writeFolder({ '001_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n' }),
    );
    const entries = computeStatus(folder, gooseHistory, [{ key: '1', version: '1' }], new Map());
    expect(() => planDown(entries)).toThrow(
      'migration 001 (a) has no DOWN section: it cannot be rolled back',
    );
    const failed = computeStatus(
      folder,
      gooseHistory,
      [],
      new Map([['1', { key: '1', state: 'failed', appliedAt: new Date(0) } as SideRow]]),
    );
    expect(() => planUp(failed)).toThrow(
      /migration 001 \(a\) failed \(the history marks it dirty\)\. Fix it, then resolve it/,
    );
  });
});

describe('flywayChecksum', () => {
  it('ignores line endings and a BOM, as Flyway reads lines', () => {
    expect(flywayChecksum('a\nb\n')).toBe(flywayChecksum('a\r\nb'));
    expect(flywayChecksum('\uFEFFa\nb')).toBe(flywayChecksum('a\nb'));
    // Flyway joins the lines without separators, so only their content counts
    expect(flywayChecksum('a\nb')).toBe(flywayChecksum('ab\n\n'));
    expect(flywayChecksum('a\nb')).not.toBe(flywayChecksum('a\nc'));
    expect(Number(flywayChecksum('select 1;'))).toBeGreaterThanOrEqual(-(2 ** 31));
  });
});
