/**
 * The lint cache: a folder's located findings, kept under `.pgmig/cache/lint/` and reused while
 * nothing that decides them has changed — the content of every file under the folder, the
 * settings and rule selection, the working directory (paths are shown relative to it) and the
 * build of pgmig itself. Keys hash content, not modification times, so a cache restored on a CI
 * machine after a fresh checkout still hits. Like ruff's and ESLint's caches it is only a speed-up:
 * anything unreadable or unwritable is a miss, never an error.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  type Dirent,
} from 'node:fs';
import { join } from 'node:path';
import type { LintOptions } from '../linter/lint';
import type { Target } from './lint';
import type { ShareResult } from './parallel';

interface Entry {
  key: string;
  result: ShareResult;
}

export interface LintCache {
  get(target: Target): ShareResult | undefined;
  put(target: Target, result: ShareResult): void;
  hits: number;
}

/** What identifies this build: the bundle's own bytes (or the module's, when run from source). */
let buildId: string | undefined;
function build(): string {
  if (buildId === undefined) {
    try {
      buildId = createHash('sha1').update(readFileSync(__filename)).digest('hex');
    } catch {
      buildId = String(Date.now());
    }
  }
  return buildId;
}

function walk(dir: string, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    out.push(`${dir}\0unreadable`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(p, out);
    } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
}

export function openCache(dir: string, options: LintOptions, cwd: string): LintCache {
  const folder = join(dir, 'lint');
  const common = JSON.stringify({
    build: build(),
    cwd,
    settings: options.settings,
    only: options.only ? [...options.only].sort() : null,
    exclude: options.exclude ? [...options.exclude].sort() : null,
  });
  const keys = new Map<Target, { id: string; key: string }>();
  const keyOf = (t: Target) => {
    let k = keys.get(t);
    if (!k) {
      const id = createHash('sha1').update(`${t.root}\0${t.given}`).digest('hex');
      const h = createHash('sha1').update(common).update(id);
      const files: string[] = [];
      walk(t.root!, files);
      for (const f of files) {
        h.update(f).update('\0');
        try {
          h.update(readFileSync(f));
        } catch (e) {
          h.update(`unreadable ${(e as Error).message}`);
        }
        h.update('\0');
      }
      k = { id, key: h.digest('hex') };
      keys.set(t, k);
    }
    return k;
  };
  const cache: LintCache = {
    hits: 0,
    get(t) {
      if (t.kind !== 'folder') return undefined;
      const { id, key } = keyOf(t);
      try {
        const entry = JSON.parse(readFileSync(join(folder, `${id}.json`), 'utf8')) as Entry;
        if (entry.key !== key) return undefined;
        cache.hits++;
        return entry.result;
      } catch {
        return undefined;
      }
    },
    put(t, result) {
      if (t.kind !== 'folder') return;
      const { id, key } = keyOf(t);
      try {
        mkdirSync(folder, { recursive: true });
        const tmp = join(folder, `${id}.${process.pid}.tmp`);
        writeFileSync(tmp, JSON.stringify({ key, result } satisfies Entry));
        renameSync(tmp, join(folder, `${id}.json`));
      } catch {
        // a read-only checkout simply runs without a cache
      }
    },
  };
  return cache;
}
