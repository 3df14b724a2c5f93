/**
 * Builds the model of a migration folder: lists its files, picks the runner format (or takes the
 * configured one), and asks that format for its migrations in runner order.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { makeSection, sourceFile, type FormatHandler, type Listing } from './format';
import { FORMATS, formatById, SINGLE_FILE_ORDER } from './formats';
import type { FormatId, Migration, MigrationFolder, SourceFile } from './model';
import { readSqlFile } from './read';

export interface LoadOptions {
  /** Force a format instead of detecting one. */
  format?: FormatId;
  /** Text to use instead of the file on disk (open editor buffers), by absolute path. */
  overlay?: Map<string, string>;
}

/** Problems met while reading (binary, invalid UTF-8), by absolute path. */
export type ReadProblems = Map<string, string>;

const SKIP_DIRS = new Set(['node_modules', '.git', '.pgmig', 'dist', 'target', 'vendor']);
const MAX_DEPTH = 4;

/** Files of a folder a format may use: relative, sorted, vendored and hidden folders skipped. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.'))
          walk(join(dir, e.name), depth + 1);
      } else if (e.isFile()) {
        out.push(relative(root, join(dir, e.name)).split(sep).join('/'));
      }
    }
  };
  walk(root, 0);
  return out.sort();
}

export function makeListing(
  root: string,
  files: string[],
  problems: ReadProblems,
  overlay?: Map<string, string>,
): Listing {
  const cache = new Map<string, SourceFile>();
  const read = (rel: string): SourceFile => {
    let f = cache.get(rel);
    if (!f) {
      const abs = join(root, rel);
      let text = overlay?.get(abs);
      if (text === undefined) {
        try {
          const r = readSqlFile(abs);
          text = r.text;
          if (r.problem) problems.set(abs, r.problem);
        } catch (e) {
          text = '';
          problems.set(abs, `cannot read file: ${(e as Error).message}`);
        }
      }
      f = sourceFile(abs, text);
      cache.set(rel, f);
    }
    return f;
  };
  return {
    root,
    files,
    read,
    peek: (rel) => read(rel).text.slice(0, 4096),
  };
}

export function detectFormat(
  listing: Listing,
): { handler: FormatHandler; reason: string } | undefined {
  let best: { handler: FormatHandler; reason: string; score: number } | undefined;
  for (const handler of FORMATS) {
    const d = handler.detect(listing);
    if (d && d.score > 0 && (!best || d.score > best.score))
      best = { handler, reason: d.reason, score: d.score };
  }
  return best;
}

export function loadFolder(
  root: string,
  options: LoadOptions = {},
  problems: ReadProblems = new Map(),
): MigrationFolder {
  const abs = resolve(root);
  const listing = makeListing(abs, listFiles(abs), problems, options.overlay);
  if (options.format && options.format !== 'unknown') {
    const handler = formatById(options.format);
    const { migrations, ignored } = handler.load(listing);
    return {
      root: abs,
      format: handler.id,
      detectedBy: 'configured',
      unknownLayout: false,
      migrations,
      ignoredFiles: ignored,
    };
  }
  const found = options.format === 'unknown' ? undefined : detectFormat(listing);
  if (found) {
    const { migrations, ignored } = found.handler.load(listing);
    return {
      root: abs,
      format: found.handler.id,
      detectedBy: found.reason,
      unknownLayout: false,
      migrations,
      ignoredFiles: ignored,
    };
  }
  return unknownFolder(abs, listing);
}

/** No known layout: every .sql file is one UP section, in name order, run statement by statement. */
function unknownFolder(root: string, listing: Listing): MigrationFolder {
  const migrations: Migration[] = [];
  const ignored: string[] = [];
  for (const rel of listing.files) {
    if (!rel.endsWith('.sql')) {
      ignored.push(rel);
      continue;
    }
    migrations.push(unknownMigration(listing.read(rel), rel));
  }
  return {
    root,
    format: 'unknown',
    detectedBy: 'no known migration layout matched; each .sql file is one UP section',
    unknownLayout: true,
    migrations,
    ignoredFiles: ignored,
  };
}

export function unknownMigration(file: SourceFile, label: string): Migration {
  const base = basename(label).replace(/\.sql$/i, '');
  return {
    id: label,
    version: base,
    name: base,
    format: 'unknown',
    files: [file],
    sections: [
      makeSection(
        file,
        'up',
        0,
        file.text.length,
        'none',
        'unknown layout: statements are assumed to run one by one',
      ),
    ],
    formatHasDown: false,
    label,
  };
}

/**
 * One file seen on its own (stdin, or a file whose folder has no known layout): the format comes
 * from the markers in it, else from its name.
 */
export function loadSingleFile(path: string, text: string, format?: FormatId): Migration {
  const file = sourceFile(path, text);
  const label = path;
  const candidates = format ? [formatById(format)] : SINGLE_FILE_ORDER;
  for (const handler of candidates) {
    const sections = handler.sectionsOfFile?.(file);
    if (sections && sections.length > 0) {
      const base = basename(path).replace(/\.sql$/i, '');
      return {
        id: label,
        version: base,
        name: base,
        format: handler.id,
        files: [file],
        sections,
        formatHasDown: handler.hasDown,
        downTarget: handler.downTargetOf?.(file) ?? { kind: 'same-file' },
        label,
      };
    }
  }
  return unknownMigration(file, label);
}

/**
 * The folder a migration file belongs to: diesel and Prisma keep one directory per migration, sqitch
 * keeps deploy/revert/verify directories, the others keep files side by side.
 */
export function folderOfFile(path: string): string {
  const abs = resolve(path);
  const dir = dirname(abs);
  const name = basename(abs);
  if (/^(up|down|migration)\.sql$/i.test(name)) return dirname(dir);
  if (/^(deploy|revert|verify)$/.test(basename(dir))) return dirname(dir);
  // Flyway scans its location recursively and projects group files in version folders
  // (db/migration/2.40/V2_40_8__x.sql): the earlier versions live in the sibling folders
  if (/^[VUR][\d._]*__.+\.sql$/.test(name)) {
    let d = dir;
    while (/^v?\d+(?:[._]\d+)*$/i.test(basename(d)) && dirname(d) !== d) d = dirname(d);
    return d;
  }
  return dir;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
