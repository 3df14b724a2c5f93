/**
 * `pgmig new <name>`: the next migration in the folder's own naming convention and format, with
 * empty UP and DOWN. Timestamped folders get the current time (as their runner's `new` does);
 * sequential ones the next number.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sourceFile } from '../folder/format';
import { formatById } from '../folder/formats';
import type { FormatId, Migration, MigrationFolder } from '../folder/model';
import { nextVersion } from '../folder/versions';

export class NewMigrationError extends Error {}

/** A name as file names carry it: lower case words joined by `_`. */
export function slugName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function stamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** A version that sorts after `last`: now for timestamps, the next number for sequences. */
export function versionForNew(folder: MigrationFolder, last: Migration, now: Date): string {
  const v = last.version;
  const taken = new Set(folder.migrations.map((m) => m.version));
  let candidate: string | undefined;
  if (/^\d{14}$/.test(v)) candidate = stamp(now);
  else if (/^\d{13}$/.test(v)) candidate = String(now.getTime());
  else if (/^\d{4}-\d{2}-\d{2}-\d{6}$/.test(v)) {
    const s = stamp(now);
    candidate = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}-${s.slice(8)}`;
  }
  if (candidate && candidate.length === v.length && candidate > v && !taken.has(candidate))
    return candidate;
  return nextVersion(folder, last);
}

/** The first migration of an empty folder needs a pattern to follow; this is each format's. */
function seed(format: FormatId, root: string, now: Date): Migration {
  const s = stamp(now);
  const versions: Partial<Record<FormatId, { version: string; file: string }>> = {
    goose: { version: s, file: `${s}_x.sql` },
    dbmate: { version: s, file: `${s}_x.sql` },
    'node-pg-migrate': { version: String(now.getTime()), file: `${now.getTime()}_x.sql` },
    'golang-migrate': { version: '000001', file: '000001_x.up.sql' },
    diesel: {
      version: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}-${s.slice(8)}`,
      file: 'x/up.sql',
    },
    plain: { version: '001', file: '001_x.sql' },
    unknown: { version: '001', file: '001_x.sql' },
  };
  const v = versions[format];
  if (!v)
    throw new NewMigrationError(
      `the folder has no migrations yet: create the first ${format} migration with ${format}'s own tool`,
    );
  return {
    id: v.version,
    version: v.version,
    name: 'x',
    format,
    files: [sourceFile(join(root, v.file), '')],
    sections: [],
    formatHasDown: true,
    label: v.file,
  };
}

export interface NewMigrationOptions {
  transactional?: boolean;
  now?: Date;
}

export function createMigration(
  folder: MigrationFolder,
  name: string,
  options: NewMigrationOptions = {},
): { files: string[]; version: string } {
  const slug = slugName(name);
  if (!slug) throw new NewMigrationError('the migration needs a name made of letters or digits');
  const now = options.now ?? new Date();
  const format: FormatId = folder.format === 'unknown' ? 'plain' : folder.format;
  const handler = formatById(format);
  if (!handler.newMigration)
    throw new NewMigrationError(`pgmig cannot create ${format} migrations`);
  const last = folder.migrations[folder.migrations.length - 1];
  let version: string;
  let after: Migration;
  if (last) {
    after = last;
    version = versionForNew(folder, last, now);
  } else {
    // an empty folder: the first migration, in the format's usual first version
    const first = seed(format, folder.root, now);
    after = first;
    version = first.version;
  }
  const files = handler.newMigration(folder.root, after, version, slug, '', '', {
    transactional: options.transactional !== false,
  });
  for (const f of files)
    if (existsSync(f.path)) throw new NewMigrationError(`${f.path} already exists`);
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text, { flag: 'wx' });
  }
  return { files: files.map((f) => f.path), version };
}
