/**
 * Plain one-file migrations with `-- UP` / `-- DOWN` marker comments (the common hand-written
 * runner): each section runs in its own transaction.
 */
import { makeSection, splitByMarkers, versionAndName, type FormatHandler } from '../format';
import { dirname, join } from 'node:path';
import type { Migration, SourceFile } from '../model';

const MARKER = /^\s*--\s*(UP|DOWN)\s*:?\s*(no-transaction)?\s*$/i;

export function plainSections(file: SourceFile) {
  const split = splitByMarkers(file, {
    match(line) {
      const m = MARKER.exec(line);
      return m ? { kind: m[1].toLowerCase() as 'up' | 'down', options: m[2] ?? '' } : undefined;
    },
  });
  if (split.sections.length === 0) return undefined;
  return split.sections.map((s) =>
    s.marker.options
      ? makeSection(
          file,
          s.kind,
          s.start,
          s.end,
          'none',
          `-- ${s.kind.toUpperCase()} no-transaction`,
          s.marker,
        )
      : makeSection(
          file,
          s.kind,
          s.start,
          s.end,
          'transaction',
          'each -- UP/-- DOWN section runs in a transaction',
          s.marker,
        ),
  );
}

export const plain: FormatHandler = {
  id: 'plain',
  hasDown: true,
  detect(listing) {
    const sql = listing.files.filter((f) => f.endsWith('.sql') && !f.includes('/'));
    const marked = sql.filter((f) => /^\s*--\s*UP\s*:?\s*$/im.test(listing.peek(f)));
    if (marked.length === 0) return undefined;
    return {
      score: 10 + marked.length / sql.length,
      reason: `${marked.length} file(s) with -- UP markers`,
    };
  },
  load(listing) {
    const migrations: Migration[] = [];
    const ignored: string[] = [];
    for (const rel of listing.files) {
      if (!rel.endsWith('.sql') || rel.includes('/')) {
        ignored.push(rel);
        continue;
      }
      const file = listing.read(rel);
      const base = rel.replace(/\.sql$/, '');
      const { version, name } = versionAndName(base);
      const sections = plainSections(file) ?? [
        makeSection(
          file,
          'up',
          0,
          file.text.length,
          'transaction',
          'no markers: the whole file is the UP section',
        ),
      ];
      migrations.push({
        id: version,
        version,
        name,
        format: 'plain',
        files: [file],
        sections,
        formatHasDown: true,
        downTarget: { kind: 'same-file' },
        label: rel,
      });
    }
    return { migrations, ignored };
  },
  sectionsOfFile: plainSections,
  newMigration(_root, after, version, name, up, down, { transactional }) {
    const flag = transactional ? '' : ' no-transaction';
    const text = `-- UP${flag}\n${up.trim()}\n\n-- DOWN${flag}\n${(down ?? '').trim()}\n`;
    return [{ path: join(dirname(after.files[0].path), `${version}_${name}.sql`), text }];
  },
};
