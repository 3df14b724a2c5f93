/**
 * goose: `<version>_<name>.sql` with `-- +goose Up` / `-- +goose Down` sections, statements grouped
 * by `StatementBegin` / `StatementEnd`, and `-- +goose NO TRANSACTION` taking the whole file out of
 * the transaction goose otherwise opens per migration.
 */
import { compareVersions, makeSection, splitByMarkers, type FormatHandler } from '../format';
import { dirname, join } from 'node:path';
import type { Migration, SourceFile } from '../model';

const ANNOTATION = /^\s*--\s*\+goose\s+(.*?)\s*$/i;
const FILE = /^(\d+)_(.+)\.sql$/;

export function gooseSections(file: SourceFile) {
  const split = splitByMarkers(file, {
    match(line) {
      const m = ANNOTATION.exec(line);
      if (!m) return undefined;
      const word = m[1].toLowerCase();
      if (word === 'up') return { kind: 'up', options: '' };
      if (word === 'down') return { kind: 'down', options: '' };
      return { kind: 'ignore', options: m[1] };
    },
  });
  if (split.sections.length === 0) return undefined;
  const noTx = split.ignoredLines.some((l) => /^no\s+transaction$/i.test(l.options));
  return split.sections.map((s) =>
    makeSection(
      file,
      s.kind,
      s.start,
      s.end,
      noTx ? 'none' : 'transaction',
      noTx ? '-- +goose NO TRANSACTION' : 'goose runs each migration in a transaction',
      s.marker,
    ),
  );
}

export const goose: FormatHandler = {
  id: 'goose',
  hasDown: true,
  detect(listing) {
    const sql = listing.files.filter((f) => FILE.test(f));
    const marked = sql.filter((f) => /^\s*--\s*\+goose\s+up\b/im.test(listing.peek(f)));
    if (marked.length === 0) return undefined;
    return {
      score: 20 + marked.length / Math.max(1, sql.length),
      reason: `${marked.length} file(s) with -- +goose Up`,
    };
  },
  load(listing) {
    const migrations: Migration[] = [];
    const ignored: string[] = [];
    for (const rel of listing.files) {
      const m = FILE.exec(rel);
      if (!m || rel.includes('/')) {
        ignored.push(rel);
        continue;
      }
      const file = listing.read(rel);
      const sections = gooseSections(file) ?? [];
      migrations.push({
        id: m[1],
        version: m[1],
        name: m[2],
        format: 'goose',
        files: [file],
        sections,
        formatHasDown: true,
        downTarget: { kind: 'same-file' },
        label: rel,
      });
    }
    migrations.sort((a, b) => compareVersions(a.version, b.version));
    return { migrations, ignored };
  },
  sectionsOfFile: gooseSections,
  newMigration(_root, after, version, name, up, down, { transactional }) {
    const head = transactional ? '' : '-- +goose NO TRANSACTION\n';
    const text = `${head}-- +goose Up\n${up.trim()}\n\n-- +goose Down\n${(down ?? '').trim()}\n`;
    return [{ path: join(dirname(after.files[0].path), `${version}_${name}.sql`), text }];
  },
};
