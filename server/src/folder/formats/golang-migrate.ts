/**
 * golang-migrate: `<version>_<title>.up.sql` / `.down.sql` pairs, ordered by the numeric version.
 * Each file goes to PostgreSQL as one query string, so several statements share an implicit
 * transaction. Authelia's own migrator uses the same model with `V0001.Title.up.sql` names.
 */
import { dirname, join } from 'node:path';
import type { FormatHandler } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { baseOf, nameScore, wholeFile } from './shared';

// golang-migrate's source/parse.go regex, restricted to .sql
const FILE = /^([0-9]+)_(.*)\.(down|up)\.sql$/;
const AUTHELIA = /^V([0-9]+)\.(.*)\.(down|up)\.sql$/;

const SOURCE = 'golang-migrate sends the whole file as one query';

interface Parsed {
  version: string;
  name: string;
  kind: 'up' | 'down';
  authelia: boolean;
}

function parse(base: string): Parsed | undefined {
  const m = FILE.exec(base);
  if (m) return { version: m[1], name: m[2], kind: m[3] as 'up' | 'down', authelia: false };
  const a = AUTHELIA.exec(base);
  if (a) return { version: a[1], name: a[2], kind: a[3] as 'up' | 'down', authelia: true };
  return undefined;
}

function numeric(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function section(file: SourceFile, kind: 'up' | 'down'): Section {
  return wholeFile(file, kind, 'single-query', SOURCE);
}

/** The path of the file holding the other direction of `path`. */
function sibling(path: string, kind: 'up' | 'down'): string {
  return path.replace(/\.(up|down)\.sql$/, `.${kind}.sql`);
}

export const golangMigrate: FormatHandler = {
  id: 'golang-migrate',
  hasDown: true,
  detect(listing) {
    const top = listing.files.filter((f) => !f.includes('/') && f.endsWith('.sql'));
    const named = top.filter((f) => parse(f));
    return nameScore(5, named.length, top.length, 'file(s) named <version>_<name>.up/down.sql');
  },
  load(listing) {
    const byVersion = new Map<string, { up?: string; down?: string; p: Parsed }>();
    const ignored: string[] = [];
    for (const rel of listing.files) {
      const p = rel.includes('/') ? undefined : parse(rel);
      if (!p) {
        ignored.push(rel);
        continue;
      }
      // golang-migrate keys by the numeric version: 001 and 1 are the same migration
      const key = BigInt(p.version).toString();
      const entry = byVersion.get(key) ?? { p };
      if (entry[p.kind]) {
        ignored.push(rel);
        continue;
      }
      entry[p.kind] = rel;
      if (p.kind === 'up') entry.p = p;
      byVersion.set(key, entry);
    }
    const migrations: Migration[] = [];
    for (const { up, down, p } of byVersion.values()) {
      const files = [up, down].filter((r): r is string => !!r).map((r) => listing.read(r));
      const sections = files.map((f, i) => section(f, i === 0 && up ? 'up' : 'down'));
      const first = (up ?? down) as string;
      migrations.push({
        id: p.version,
        version: p.version,
        name: p.name,
        format: 'golang-migrate',
        files,
        sections,
        formatHasDown: true,
        downTarget: { kind: 'file', path: sibling(files[0].path, 'down') },
        label: first,
      });
    }
    migrations.sort((a, b) => numeric(a.version, b.version));
    return { migrations, ignored };
  },
  sectionsOfFile(file) {
    const p = parse(baseOf(file.path.replace(/\\/g, '/')));
    return p && [section(file, p.kind)];
  },
  downTargetOf(file) {
    return { kind: 'file', path: sibling(file.path, 'down') };
  },
  newMigration(_root, after, version, name, up, down) {
    const dir = dirname(after.files[0].path);
    const authelia = AUTHELIA.test(baseOf(after.files[0].path.replace(/\\/g, '/')));
    const stem = authelia ? `V${version}.${name}` : `${version}_${name}`;
    const out = [{ path: join(dir, `${stem}.up.sql`), text: `${up.trim()}\n` }];
    // golang-migrate has no transaction switch; keep the folder's habit of writing down files
    const keepsDown = after.sections.some((s) => s.kind === 'down');
    if (down !== undefined || keepsDown)
      out.push({ path: join(dir, `${stem}.down.sql`), text: `${(down ?? '').trim()}\n` });
    return out;
  },
};
