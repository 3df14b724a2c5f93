/**
 * drizzle-kit: `NNNN_name.sql` files whose statements are separated by `--> statement-breakpoint`,
 * applied in the order of `meta/_journal.json` (entries[].tag; files it does not list never run).
 * drizzle's migrator runs pending migrations inside one transaction; there is no DOWN.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { versionAndName, type FormatHandler, type Listing } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { splitStatements } from '../../parser/split';
import { hasFile, nameScore, wholeFile } from './shared';

const BREAKPOINT = /^\s*--> statement-breakpoint/m;
const JOURNAL = 'meta/_journal.json';

function section(file: SourceFile): Section {
  return wholeFile(
    file,
    'up',
    'transaction',
    "drizzle's migrator runs migrations in a transaction",
  );
}

/** Tags in journal order, or undefined without a readable journal. */
function journalTags(listing: Listing, listed: Set<string>): string[] | undefined {
  if (!hasFile(listing, listed, JOURNAL)) return undefined;
  try {
    const j = JSON.parse(listing.read(JOURNAL).text) as { entries?: Array<{ tag?: unknown }> };
    return (j.entries ?? []).map((e) => e.tag).filter((t): t is string => typeof t === 'string');
  } catch {
    return undefined;
  }
}

export const drizzle: FormatHandler = {
  id: 'drizzle',
  hasDown: false,
  detect(listing) {
    const sql = listing.files.filter((f) => !f.includes('/') && f.endsWith('.sql'));
    if (sql.length > 0 && listing.files.includes(JOURNAL))
      return { score: 25, reason: `${JOURNAL} next to ${sql.length} .sql file(s)` };
    const marked = sql.filter((f) => BREAKPOINT.test(listing.peek(f)));
    return nameScore(20, marked.length, sql.length, 'file(s) with --> statement-breakpoint');
  },
  load(listing) {
    const listed = new Set(listing.files);
    const sql = listing.files.filter((f) => !f.includes('/') && f.endsWith('.sql'));
    const tags = journalTags(listing, listed);
    const order = tags ? tags.map((t) => `${t}.sql`).filter((f) => listed.has(f)) : sql;
    const used = new Set(order);
    const migrations: Migration[] = order.map((rel) => {
      const file = listing.read(rel);
      const { version, name } = versionAndName(rel.replace(/\.sql$/, ''));
      return {
        id: version,
        version,
        name,
        format: 'drizzle',
        files: [file],
        sections: [section(file)],
        formatHasDown: false,
        label: rel,
      };
    });
    return { migrations, ignored: listing.files.filter((f) => !used.has(f)) };
  },
  sectionsOfFile(file) {
    return BREAKPOINT.test(file.text) ? [section(file)] : undefined;
  },
  newMigration(_root, after, version, name, up) {
    const dir = dirname(after.files[0].path);
    // a migration drizzle would run needs a journal entry, which creating files cannot add
    if (existsSync(join(dir, JOURNAL))) return [];
    const chunks = splitStatements(up).map((c) => up.slice(c.start, c.terminatorEnd).trim());
    const text = `${chunks.filter((c) => c).join('\n--> statement-breakpoint\n')}\n`;
    return [{ path: join(dir, `${version}_${name}.sql`), text }];
  },
};
