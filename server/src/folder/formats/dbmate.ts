/**
 * dbmate: `<version>_<name>.sql` with `-- migrate:up` / `-- migrate:down` sections; an option
 * `transaction:false` on a marker runs that section outside a transaction.
 */
import { makeSection, splitByMarkers, type FormatHandler } from '../format';
import { dirname, join } from 'node:path';
import type { Migration, SourceFile } from '../model';

const MARKER = /^\s*--\s*migrate:(up|down)\b(.*)$/i;
const FILE = /^(\d+)_?(.*)\.sql$/;

export function dbmateSections(file: SourceFile) {
  const split = splitByMarkers(file, {
    match(line) {
      const m = MARKER.exec(line);
      return m ? { kind: m[1].toLowerCase() as 'up' | 'down', options: m[2].trim() } : undefined;
    },
  });
  if (split.sections.length === 0) return undefined;
  return split.sections.map((s) => {
    const noTx = /\btransaction\s*:\s*false\b/i.test(s.marker.options);
    return makeSection(
      file,
      s.kind,
      s.start,
      s.end,
      // without its transaction dbmate still sends the section as one query string, which
      // PostgreSQL runs as one implicit transaction when it holds several statements
      noTx ? 'single-query' : 'transaction',
      noTx
        ? `-- migrate:${s.kind} transaction:false (dbmate sends the section as one query string)`
        : 'dbmate runs each section in a transaction',
      s.marker,
    );
  });
}

export const dbmate: FormatHandler = {
  id: 'dbmate',
  hasDown: true,
  detect(listing) {
    const sql = listing.files.filter((f) => FILE.test(f));
    const marked = sql.filter((f) => /^\s*--\s*migrate:up\b/im.test(listing.peek(f)));
    if (marked.length === 0) return undefined;
    return {
      score: 20 + marked.length / Math.max(1, sql.length),
      reason: `${marked.length} file(s) with -- migrate:up`,
    };
  },
  load(listing) {
    const migrations: Migration[] = [];
    const ignored: string[] = [];
    for (const rel of listing.files) {
      const base = rel.split('/').pop() ?? rel;
      const m = FILE.exec(base);
      if (!m) {
        ignored.push(rel);
        continue;
      }
      const file = listing.read(rel);
      const sections = dbmateSections(file) ?? [];
      migrations.push({
        id: m[1],
        version: m[1],
        name: m[2],
        format: 'dbmate',
        files: [file],
        sections,
        formatHasDown: true,
        downTarget: { kind: 'same-file' },
        label: rel,
      });
    }
    // dbmate applies in version order across every configured migrations directory
    migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
    return { migrations, ignored };
  },
  sectionsOfFile: dbmateSections,
  newMigration(_root, after, version, name, up, down, { transactional }) {
    const flag = transactional ? '' : ' transaction:false';
    const text = `-- migrate:up${flag}\n${up.trim()}\n\n-- migrate:down${flag}\n${(down ?? '').trim()}\n`;
    return [{ path: join(dirname(after.files[0].path), `${version}_${name}.sql`), text }];
  },
};
