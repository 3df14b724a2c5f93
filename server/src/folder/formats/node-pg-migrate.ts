/**
 * node-pg-migrate SQL files: `{timestamp}_{name}.sql` split by `-- Up Migration` / `-- Down
 * Migration` comments, each direction run in a transaction. Sections are cut as its getActions
 * does: only the first marker of each direction counts, and a file without an up marker is all
 * UP. Released node-pg-migrate has no switch to run a SQL file outside its transaction
 * (`pgm.noTransaction()` exists only in JS/TS migrations; salsita/node-pg-migrate#915 was closed).
 */
import { dirname, join } from 'node:path';
import {
  compareVersions,
  makeSection,
  splitByMarkers,
  versionAndName,
  type FormatHandler,
} from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { nameScore } from './shared';

const MARKER = /^\s*--[\s-]*(up|down)\s+migration/i;
const UP_MARKER = /^\s*--[\s-]*up\s+migration/im;
const SOURCE = 'node-pg-migrate runs each migration in a transaction';

/** The file's sections, or undefined when it has no marker at all. */
function nodePgSections(file: SourceFile): Section[] | undefined {
  const seen = new Set<string>();
  const split = splitByMarkers(file, {
    match(line) {
      const m = MARKER.exec(line);
      if (!m) return undefined;
      const kind = m[1].toLowerCase() as 'up' | 'down';
      // later markers of the same direction are plain comments to node-pg-migrate
      if (seen.has(kind)) return undefined;
      seen.add(kind);
      return { kind, options: '' };
    },
  });
  if (split.sections.length === 0) return undefined;
  const sections = split.sections.map((s) =>
    makeSection(file, s.kind, s.start, s.end, 'transaction', SOURCE, s.marker),
  );
  // without an up marker node-pg-migrate runs the whole file, down part included, as UP
  if (!seen.has('up'))
    sections.unshift(makeSection(file, 'up', 0, file.text.length, 'transaction', SOURCE));
  return sections;
}

export const nodePgMigrate: FormatHandler = {
  id: 'node-pg-migrate',
  hasDown: true,
  detect(listing) {
    const sql = listing.files.filter((f) => !f.includes('/') && f.endsWith('.sql'));
    const marked = sql.filter((f) => UP_MARKER.test(listing.peek(f)));
    // "-- Down migrations are not supported" is also prose: a few marked files are weak evidence
    const base = marked.length * 2 >= sql.length ? 20 : 4;
    return nameScore(base, marked.length, sql.length, 'file(s) with -- Up Migration');
  },
  load(listing) {
    const migrations: Migration[] = [];
    const ignored: string[] = [];
    for (const rel of listing.files) {
      if (rel.includes('/') || !rel.endsWith('.sql')) {
        ignored.push(rel);
        continue;
      }
      const file = listing.read(rel);
      const { version, name } = versionAndName(rel.replace(/\.sql$/, ''));
      const sections = nodePgSections(file) ?? [
        makeSection(
          file,
          'up',
          0,
          file.text.length,
          'transaction',
          'no -- Up Migration marker: node-pg-migrate runs the whole file as UP in a transaction',
        ),
      ];
      migrations.push({
        id: version,
        version,
        name,
        format: 'node-pg-migrate',
        files: [file],
        sections,
        formatHasDown: true,
        downTarget: { kind: 'same-file' },
        label: rel,
      });
    }
    // node-pg-migrate orders by the numeric prefix, then by name
    migrations.sort((a, b) => compareVersions(a.version, b.version) || (a.name < b.name ? -1 : 1));
    return { migrations, ignored };
  },
  sectionsOfFile: nodePgSections,
  newMigration(_root, after, version, name, up, down) {
    const text = `-- Up Migration\n${up.trim()}\n\n-- Down Migration\n${(down ?? '').trim()}\n`;
    return [{ path: join(dirname(after.files[0].path), `${version}_${name}.sql`), text }];
  },
};
