/**
 * Prisma Migrate: `<timestamp>_<name>/migration.sql`, applied in directory-name order, no DOWN.
 * Prisma sends each script as one simple query, so several statements share an implicit
 * transaction. `migration_lock.toml` marks the folder.
 */
import { dirname, join } from 'node:path';
import type { FormatHandler } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { nameScore, wholeFile } from './shared';

const FILE = /^(([^_/]+)_([^/]*))\/migration\.sql$/;

function section(file: SourceFile): Section {
  return wholeFile(file, 'up', 'single-query', 'Prisma sends the whole migration.sql as one query');
}

export const prisma: FormatHandler = {
  id: 'prisma',
  hasDown: false,
  detect(listing) {
    const dirs = new Set(listing.files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]));
    const named = listing.files.filter((f) => FILE.test(f));
    const d = nameScore(8, named.length, dirs.size, 'director(ies) with migration.sql');
    if (d && listing.files.includes('migration_lock.toml'))
      return { score: d.score + 1, reason: `${d.reason} and migration_lock.toml` };
    return d;
  },
  load(listing) {
    const ignored: string[] = [];
    const migrations: Migration[] = [];
    for (const rel of listing.files) {
      const m = FILE.exec(rel);
      if (!m) {
        ignored.push(rel);
        continue;
      }
      const file = listing.read(rel);
      migrations.push({
        id: m[2],
        version: m[2],
        name: m[3],
        format: 'prisma',
        files: [file],
        sections: [section(file)],
        formatHasDown: false,
        label: rel,
      });
    }
    // Prisma applies directories in name order (not path order: `a_b-x/` < `a_b/` as paths)
    const dir = (m: Migration) => `${m.version}_${m.name}`;
    migrations.sort((a, b) => (dir(a) < dir(b) ? -1 : dir(a) > dir(b) ? 1 : 0));
    return { migrations, ignored };
  },
  sectionsOfFile(file) {
    return /(?:^|[\\/])migration\.sql$/.test(file.path) ? [section(file)] : undefined;
  },
  newMigration(_root, after, version, name, up) {
    const dir = join(dirname(dirname(after.files[0].path)), `${version}_${name}`);
    return [{ path: join(dir, 'migration.sql'), text: `${up.trim()}\n` }];
  },
};
