/**
 * diesel: one directory per migration, `<version>_<name>/up.sql` and `down.sql`, applied in version
 * order. Each runs in a transaction unless the directory's `metadata.toml` says
 * `run_in_transaction = false`.
 */
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { FormatHandler, Listing } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { hasFile, nameScore, wholeFile } from './shared';

const DIR = /^([^_/]+)_([^/]*)$/;
const FILE = /^([^/]+)\/(up|down)\.sql$/;

/** Whether the directory's metadata.toml turns the transaction off. */
function noTransaction(listing: Listing, listed: Set<string>, dir: string): boolean {
  const rel = `${dir}/metadata.toml`;
  if (!hasFile(listing, listed, rel)) return false;
  const text = listing.read(rel).text;
  try {
    return (parseToml(text) as { run_in_transaction?: unknown }).run_in_transaction === false;
  } catch {
    return /^\s*run_in_transaction\s*=\s*false\b/m.test(text);
  }
}

function section(file: SourceFile, kind: 'up' | 'down', noTx: boolean, dir: string): Section {
  return noTx
    ? wholeFile(
        file,
        kind,
        // diesel's batch_execute sends the file as one query string
        'single-query',
        `run_in_transaction = false in ${dir}/metadata.toml (diesel sends the file as one query string)`,
      )
    : wholeFile(file, kind, 'transaction', 'diesel runs each migration in a transaction');
}

/** diesel compares versions with their dashes removed. */
function key(version: string): string {
  return version.replace(/-/g, '');
}

export const diesel: FormatHandler = {
  id: 'diesel',
  hasDown: true,
  detect(listing) {
    const dirs = new Set(listing.files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]));
    const ups = listing.files.filter((f) => /^[^/]+\/up\.sql$/.test(f) && DIR.test(dirname(f)));
    return nameScore(8, ups.length, dirs.size, 'director(ies) with up.sql');
  },
  load(listing) {
    const listed = new Set(listing.files);
    const ignored: string[] = [];
    const byDir = new Map<string, { up?: string; down?: string }>();
    for (const rel of listing.files) {
      const m = FILE.exec(rel);
      if (!m || !DIR.test(m[1])) {
        ignored.push(rel);
        continue;
      }
      const e = byDir.get(m[1]) ?? {};
      e[m[2] as 'up' | 'down'] = rel;
      byDir.set(m[1], e);
    }
    const migrations: Migration[] = [];
    for (const [dir, { up, down }] of byDir) {
      const [, version, name] = DIR.exec(dir) as RegExpExecArray;
      const noTx = noTransaction(listing, listed, dir);
      const rels = [up, down].filter((r): r is string => !!r);
      const files = rels.map((r) => listing.read(r));
      migrations.push({
        id: version,
        version,
        name,
        format: 'diesel',
        files,
        sections: files.map((f, i) => section(f, i === 0 && up ? 'up' : 'down', noTx, dir)),
        formatHasDown: true,
        downTarget: { kind: 'file', path: join(listing.root, dir, 'down.sql') },
        label: rels[0],
      });
    }
    migrations.sort((a, b) => {
      const x = key(a.version);
      const y = key(b.version);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return { migrations, ignored };
  },
  sectionsOfFile(file) {
    const m = /(?:^|[\\/])(up|down)\.sql$/.exec(file.path);
    if (!m) return undefined;
    return [section(file, m[1] as 'up' | 'down', false, dirname(file.path))];
  },
  downTargetOf(file) {
    return { kind: 'file', path: join(dirname(file.path), 'down.sql') };
  },
  newMigration(_root, after, version, name, up, down, { transactional }) {
    const dir = join(dirname(dirname(after.files[0].path)), `${version}_${name}`);
    const out = [
      { path: join(dir, 'up.sql'), text: `${up.trim()}\n` },
      { path: join(dir, 'down.sql'), text: `${(down ?? '').trim()}\n` },
    ];
    if (!transactional)
      out.push({ path: join(dir, 'metadata.toml'), text: 'run_in_transaction = false\n' });
    return out;
  },
};
