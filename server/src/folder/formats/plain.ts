/**
 * Plain one-file migrations with `-- UP` / `-- DOWN` marker comments (the common hand-written
 * runner): each section runs in its own transaction.
 */
import { makeSection, splitByMarkers, versionAndName, type FormatHandler } from '../format';
import type { Migration, SourceFile } from '../model';

const MARKER = /^\s*--\s*(UP|DOWN)\s*:?\s*$/i;

export function plainSections(file: SourceFile) {
  const split = splitByMarkers(file, {
    match(line) {
      const m = MARKER.exec(line);
      return m ? { kind: m[1].toLowerCase() as 'up' | 'down', options: '' } : undefined;
    },
  });
  if (split.sections.length === 0) return undefined;
  return split.sections.map((s) =>
    makeSection(file, s.kind, s.start, s.end, 'transaction', 'each -- UP/-- DOWN section runs in a transaction', s.marker),
  );
}

export const plain: FormatHandler = {
  id: 'plain',
  hasDown: true,
  detect(listing) {
    const sql = listing.files.filter((f) => f.endsWith('.sql') && !f.includes('/'));
    const marked = sql.filter((f) => /^\s*--\s*UP\s*:?\s*$/im.test(listing.peek(f)));
    if (marked.length === 0) return undefined;
    return { score: 10 + marked.length / sql.length, reason: `${marked.length} file(s) with -- UP markers` };
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
        makeSection(file, 'up', 0, file.text.length, 'transaction', 'no markers: the whole file is the UP section'),
      ];
      migrations.push({ id: version, version, name, format: 'plain', files: [file], sections, formatHasDown: true, downTarget: { kind: 'same-file' }, label: rel });
    }
    return { migrations, ignored };
  },
  sectionsOfFile: plainSections,
};
