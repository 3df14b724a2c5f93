/**
 * ory/popx and gobuffalo/pop: `<version>_<name>[.<dialect>][.autocommit].{up,down}.sql`. Only
 * PostgreSQL's files and dialect-independent ones count, and a dialect-independent file only when
 * no `.postgres.` file exists for the same version and direction (popx sortAndFilter). Each
 * migration runs in a transaction unless its name carries `.autocommit`. Empty files are normal.
 *
 * pop folders without any infix (supabase/auth: `<ts>_<name>.up.sql`) look like golang-migrate by
 * name; pop renders files as Go templates, so `{{ … }}` placeholders decide for pop, whose
 * per-migration transaction is what really happens there.
 */
import { dirname, join } from 'node:path';
import type { FormatHandler } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { baseOf, nameScore, wholeFile } from './shared';

// popx's MigrationFileRegexp
const FILE = /^(\d+)_([^.]+)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.sql$/;
const TEMPLATE = /\{\{[^}]*\.\w+[^}]*\}\}/;

/** pop.CanonicalDialect for the spellings that matter here. */
const SYNONYMS: Record<string, string> = {
  postgresql: 'postgres',
  pg: 'postgres',
  cockroachdb: 'cockroach',
  crdb: 'cockroach',
  sqlite: 'sqlite3',
  mariadb: 'mysql',
};

interface Parsed {
  version: string;
  name: string;
  /** 'all' for dialect-independent files. */
  dialect: string;
  autocommit: boolean;
  kind: 'up' | 'down';
}

function parse(base: string): Parsed | undefined {
  const m = FILE.exec(base);
  if (!m) return undefined;
  // with no dialect the regex puts `.autocommit` in the dialect group, as popx special-cases
  const infix = m[3]?.slice(1);
  const autocommit = infix === 'autocommit' || !!m[4];
  const raw = !infix || infix === 'autocommit' ? 'all' : infix;
  const dialect = SYNONYMS[raw] ?? raw;
  return { version: m[1], name: m[2], dialect, autocommit, kind: m[5] as 'up' | 'down' };
}

interface Chosen {
  rel: string;
  p: Parsed;
}

function section(file: SourceFile, p: Parsed): Section {
  return p.autocommit
    ? wholeFile(
        file,
        p.kind,
        // pop executes the file without arguments: one simple-protocol query string
        'single-query',
        `.autocommit. in the file name (popx sends the file as one query string)`,
      )
    : wholeFile(file, p.kind, 'transaction', 'popx runs each migration in a transaction');
}

function compare(a: string, b: string): number {
  // popx sorts versions as strings
  return a < b ? -1 : a > b ? 1 : 0;
}

export const popx: FormatHandler = {
  id: 'popx',
  hasDown: true,
  detect(listing) {
    const top = listing.files.filter((f) => !f.includes('/') && f.endsWith('.sql'));
    const parsed = top.map((f) => ({ f, p: parse(f) })).filter((x) => x.p);
    const popOnly = parsed.filter(
      ({ f, p }) => p!.dialect !== 'all' || p!.autocommit || TEMPLATE.test(listing.peek(f)),
    );
    const why = 'file(s) with a .<dialect>. or .autocommit. infix or {{ template }} placeholders';
    return nameScore(7, popOnly.length, top.length, why);
  },
  load(listing) {
    const ignored: string[] = [];
    // per version and direction: the chosen file (postgres beats 'all')
    const chosen = new Map<string, Chosen>();
    for (const rel of listing.files) {
      const p = rel.includes('/') ? undefined : parse(rel);
      if (!p || (p.dialect !== 'postgres' && p.dialect !== 'all')) {
        ignored.push(rel);
        continue;
      }
      const key = `${p.version}\0${p.kind}`;
      const prev = chosen.get(key);
      if (prev && (prev.p.dialect === 'postgres' || p.dialect === 'all')) {
        ignored.push(rel);
        continue;
      }
      if (prev) ignored.push(prev.rel);
      chosen.set(key, { rel, p });
    }
    const byVersion = new Map<string, { up?: Chosen; down?: Chosen }>();
    for (const c of chosen.values()) {
      const e = byVersion.get(c.p.version) ?? {};
      e[c.p.kind] = c;
      byVersion.set(c.p.version, e);
    }
    const migrations: Migration[] = [];
    for (const [version, { up, down }] of byVersion) {
      const parts = [up, down].filter((x): x is Chosen => !!x);
      const files = parts.map((x) => listing.read(x.rel));
      const first = parts[0];
      migrations.push({
        id: version,
        version,
        name: first.p.name,
        format: 'popx',
        files,
        sections: parts.map((x, i) => section(files[i], x.p)),
        formatHasDown: true,
        downTarget: { kind: 'file', path: downPath(files[0].path) },
        label: first.rel,
      });
    }
    migrations.sort((a, b) => compare(a.version, b.version));
    return { migrations, ignored };
  },
  sectionsOfFile(file) {
    const p = parse(baseOf(file.path.replace(/\\/g, '/')));
    // without an infix the name is golang-migrate's too; leave plain .up.sql files to it
    if (!p || (p.dialect === 'all' && !p.autocommit)) return undefined;
    if (p.dialect !== 'postgres' && p.dialect !== 'all') return undefined;
    return [section(file, p)];
  },
  downTargetOf(file) {
    return { kind: 'file', path: downPath(file.path) };
  },
  newMigration(_root, after, version, name, up, down, { transactional }) {
    const dir = dirname(after.files[0].path);
    const p = parse(baseOf(after.files[0].path.replace(/\\/g, '/')));
    // a folder with dialect files gets a .postgres. file, so other dialects do not run our SQL
    const dialect = p && p.dialect === 'postgres' ? '.postgres' : '';
    const infix = `${dialect}${transactional ? '' : '.autocommit'}`;
    const stem = join(dir, `${version}_${name.replace(/\./g, '_')}${infix}`);
    // popx expects both directions; an empty down file is its convention for "nothing to undo"
    return [
      { path: `${stem}.up.sql`, text: `${up.trim()}\n` },
      { path: `${stem}.down.sql`, text: down?.trim() ? `${down.trim()}\n` : '' },
    ];
  },
};

/** The down file matching an up file: same dialect and autocommit infixes. */
function downPath(path: string): string {
  return path.replace(/\.(up|down)\.sql$/, '.down.sql');
}
