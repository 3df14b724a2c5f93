/**
 * Flyway: versioned `V<version>__<description>.sql` (version parts split on `.` or `_`, compared as
 * numbers), undo `U<version>__<description>.sql` as the DOWN of the same version, and repeatable
 * `R__<description>.sql` run after all versioned ones, by description. Files may sit in subfolders.
 * Flyway opens a transaction per migration unless it detects statements that cannot run in one
 * (`auto`); a sibling `<file>.sql.conf` with `executeInTransaction=false` turns it off.
 */
import { dirname, join } from 'node:path';
import { compareVersions, type FormatHandler, type Listing } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { baseOf, hasFile, nameScore, wholeFile } from './shared';

const FILE = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;

/** Flyway's version identity: 1.1, 1_1 and 1.01 are the same; trailing zero parts do not count. */
function norm(version: string): string {
  const parts = version.split(/[._]/).map((p) => BigInt(p).toString());
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

function confSaysNoTx(listing: Listing, listed: Set<string>, rel: string): boolean {
  const conf = `${rel}.conf`;
  if (!hasFile(listing, listed, conf)) return false;
  return /^\s*executeInTransaction\s*=\s*false\s*$/im.test(listing.read(conf).text);
}

function section(file: SourceFile, kind: 'up' | 'down', noTx: boolean): Section {
  return noTx
    ? wholeFile(file, kind, 'none', `executeInTransaction=false in ${baseOf(file.path)}.conf`)
    : wholeFile(
        file,
        kind,
        'auto',
        'Flyway runs each migration in a transaction unless it finds statements that cannot run in one',
      );
}

interface Entry {
  version: string;
  name: string;
  up?: string;
  down?: string;
}

export const flyway: FormatHandler = {
  id: 'flyway',
  hasDown: false,
  detect(listing) {
    const sql = listing.files.filter((f) => f.endsWith('.sql'));
    const named = sql.filter((f) => /^V/.test(baseOf(f)) && FILE.test(baseOf(f)));
    return nameScore(7, named.length, sql.length, 'file(s) named V<version>__<description>.sql');
  },
  load(listing) {
    const listed = new Set(listing.files);
    const ignored: string[] = [];
    const versioned = new Map<string, Entry>();
    const repeatables: Array<{ rel: string; name: string }> = [];
    for (const rel of listing.files) {
      const base = baseOf(rel);
      const r = REPEATABLE.exec(base);
      if (r) {
        repeatables.push({ rel, name: r[1] });
        continue;
      }
      const m = FILE.exec(base);
      if (!m) {
        ignored.push(rel);
        continue;
      }
      const key = norm(m[2]);
      const e = versioned.get(key) ?? { version: m[2], name: m[3] };
      const slot = m[1] === 'V' ? 'up' : 'down';
      if (e[slot]) {
        ignored.push(rel);
        continue;
      }
      e[slot] = rel;
      if (slot === 'up') Object.assign(e, { version: m[2], name: m[3] });
      versioned.set(key, e);
    }
    const hasUndo = [...versioned.values()].some((e) => e.down);
    const migrations: Migration[] = [];
    for (const e of versioned.values()) {
      const rels = [e.up, e.down].filter((r): r is string => !!r);
      const files = rels.map((r) => listing.read(r));
      const first = rels[0];
      const undoPath = e.down
        ? join(listing.root, e.down)
        : join(listing.root, dirname(first), `U${e.version}__${e.name}.sql`);
      migrations.push({
        id: e.version,
        version: e.version,
        name: e.name,
        format: 'flyway',
        files,
        sections: files.map((f, i) =>
          section(f, i === 0 && e.up ? 'up' : 'down', confSaysNoTx(listing, listed, rels[i])),
        ),
        formatHasDown: hasUndo,
        downTarget: { kind: 'file', path: undoPath },
        label: first,
      });
    }
    migrations.sort((a, b) => compareVersions(a.version, b.version));
    // repeatables run after every versioned migration, ordered by description
    repeatables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { rel, name } of repeatables) {
      const file = listing.read(rel);
      migrations.push({
        id: `R__${name}`,
        version: `R__${name}`,
        name,
        format: 'flyway',
        files: [file],
        sections: [section(file, 'up', confSaysNoTx(listing, listed, rel))],
        formatHasDown: false,
        label: rel,
      });
    }
    return { migrations, ignored };
  },
  sectionsOfFile(file) {
    const base = baseOf(file.path.replace(/\\/g, '/'));
    const m = FILE.exec(base);
    if (m) return [section(file, m[1] === 'V' ? 'up' : 'down', false)];
    return REPEATABLE.test(base) ? [section(file, 'up', false)] : undefined;
  },
  downTargetOf(file) {
    const base = baseOf(file.path.replace(/\\/g, '/'));
    if (!/^V/.test(base)) return undefined;
    return { kind: 'file', path: join(dirname(file.path), `U${base.slice(1)}`) };
  },
  newMigration(_root, after, version, name, up, down, { transactional }) {
    const dir = dirname(after.files[0].path);
    const desc = name.replace(/\s+/g, '_');
    const versioned = /^\d+(?:[._]\d+)*$/.test(version);
    // after a repeatable there is no version to follow; a repeatable named after it sorts next
    const upPath = join(
      dir,
      versioned ? `V${version}__${desc}.sql` : `R__${after.name}_${desc}.sql`,
    );
    const out = [{ path: upPath, text: `${up.trim()}\n` }];
    if (!transactional) out.push({ path: `${upPath}.conf`, text: 'executeInTransaction=false\n' });
    // undo files only where the folder already keeps them (a Flyway Teams feature)
    if (versioned && after.formatHasDown)
      out.push({ path: join(dir, `U${version}__${desc}.sql`), text: `${(down ?? '').trim()}\n` });
    return out;
  },
};
