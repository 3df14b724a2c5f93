/** Versions and files of `pgmig new` per convention, at a fixed time. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { createMigration, slugName } from '../../../server/src/runner/newMigration';
import { writeFolder } from '../helpers/lint';

beforeAll(initParser);
const NOW = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));

describe('createMigration', () => {
  it('timestamped folders get the current time; older stamps are not reused', () => {
    const folder = loadFolder(
      writeFolder({ '20240101000000_a.sql': '-- migrate:up\n-- migrate:down\n' }),
    );
    const made = createMigration(folder, 'Add Users!', { now: NOW });
    expect(made.version).toBe('20300102030405');
    expect(basename(made.files[0])).toBe('20300102030405_add_users.sql');
    expect(readFileSync(made.files[0], 'utf8')).toBe('-- migrate:up\n\n\n-- migrate:down\n\n');
    // a clock behind the folder's last stamp: one second after it instead
    const future = loadFolder(
      writeFolder({ '20990101000000_a.sql': '-- migrate:up\n-- migrate:down\n' }),
    );
    expect(createMigration(future, 'b', { now: NOW }).version).toBe('20990101000001');
  });

  it('diesel directories and node-pg-migrate milliseconds follow the same rule', () => {
    const diesel = loadFolder(
      writeFolder({
        '2024-01-01-000000_a/up.sql': 'SELECT 1;\n',
        '2024-01-01-000000_a/down.sql': '\n',
      }),
    );
    expect(createMigration(diesel, 'x', { now: NOW }).version).toBe('2030-01-02-030405');
    const npm = loadFolder(
      writeFolder({ '1700000000000_a.sql': '-- Up Migration\n-- Down Migration\n' }),
    );
    expect(createMigration(npm, 'x', { now: NOW }).version).toBe(String(NOW.getTime()));
  });

  it('refuses to overwrite and to create a format pgmig cannot write', () => {
    const root = writeFolder({ '001_a.sql': '-- UP\n-- DOWN\n', '002_x.sql': '-- UP\n-- DOWN\n' });
    expect(createMigration(loadFolder(root), 'b', { now: NOW }).version).toBe('003');
    expect(slugName('  Créer la table ')).toBe('cr_er_la_table');
  });
});
