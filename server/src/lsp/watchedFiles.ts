/**
 * Files changing on disk. A config file (pgmig.json, .squawk.toml) changing reloads everything;
 * a migration added or removed (or a runner's plan or journal changing) relists its folder; a
 * migration changed on disk that is not open reloads just that migration. Then the open
 * migrations of the folder are linted again. Clients that do not watch files get the same
 * events from fs.watch on each loaded folder.
 */
import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver/node';
import { CONFIG_FILE, SQUAWK_FILE } from '../config/load';
import { guarded, type Log } from './guard';
import type { Linter } from './linting';
import { pathOfUri, uriOfPath } from './uris';
import type { Workspace } from './workspace';

/** Files that are not migrations but decide which migrations a folder has, or their order. */
const LISTING_FILES = new Set(['sqitch.plan', '_journal.json']);

export function filesChanged(ws: Workspace, linter: Linter, log: Log, events: FileEvent[]): void {
  let configChanged = false;
  const relist = new Set<string>();
  const changed: string[] = [];
  for (const e of events) {
    const path = pathOfUri(e?.uri);
    if (!path) continue;
    const name = basename(path);
    if (name === CONFIG_FILE || name === SQUAWK_FILE) {
      configChanged = true;
      continue;
    }
    if (e.type === FileChangeType.Deleted) ws.parser.forget(path);
    const listing = e.type !== FileChangeType.Changed || LISTING_FILES.has(name);
    for (const root of ws.rootsAffectedBy(path)) {
      if (listing) relist.add(root);
      else if (!ws.document(path)) changed.push(path);
    }
    if (e.type === FileChangeType.Created) ws.scope.forget();
  }
  if (configChanged) {
    log.info('configuration file changed: reloading every folder');
    ws.reset();
    linter.all();
    return;
  }
  const overlay = relist.size + changed.length > 0 ? ws.overlay() : new Map<string, string>();
  for (const root of relist) {
    const state = ws.folderStates().find((s) => s.root === root);
    if (!state) continue;
    state.reload(overlay);
    ws.scope.forget(root);
    log.info(`${root}: files added or removed, ${state.folder.migrations.length} migrations`);
  }
  for (const path of changed) {
    const state = ws.folderHolding(path);
    if (!state || relist.has(state.root) || state.migrationIndexOf(path) === undefined) continue;
    state.update(path, overlay);
  }
  const touched = new Set([...relist, ...changed.map((p) => ws.folderHolding(p)?.root)]);
  for (const doc of ws.openDocumentPaths()) {
    const root = ws.folderHolding(doc)?.root;
    if (root && touched.has(root)) linter.changed(doc, false, 0);
  }
}

/** Folders a migration layout never keeps migrations in: not worth a watch each. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.pgmig']);
/** Migration layouts nest at most a folder or two below their root (diesel, Prisma, sqitch). */
const MAX_DEPTH = 3;

/**
 * fs.watch on loaded folders, for clients that cannot watch files. Each directory gets its own
 * plain watch, set up before watch() returns: Node 20's recursive watch on Linux walks the tree
 * asynchronously and misses whatever changes before the walk ends. Events are gathered for a
 * moment, since one save or checkout produces several.
 */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly roots = new Set<string>();
  private queued = new Map<string, FileEvent>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Log,
    private readonly deliver: (events: FileEvent[]) => void,
  ) {}

  watch(root: string): void {
    if (this.roots.has(root)) return;
    this.roots.add(root);
    this.watchTree(root, 0);
  }

  private watchTree(dir: string, depth: number): void {
    if (this.watchers.has(dir)) return;
    try {
      const w = watch(dir, (kind, name) => this.onEvent(dir, depth, kind, name));
      w.on('error', (e) => {
        this.log.warn(`watching ${dir} stopped: ${e.message}`);
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch (e) {
      this.log.warn(`cannot watch ${dir}: ${(e as Error).message}`);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // removed meanwhile: its parent's watch reports that
    }
    for (const e of entries) {
      if (e.isDirectory() && !SKIPPED_DIRS.has(e.name))
        this.watchTree(join(dir, e.name), depth + 1);
    }
  }

  private onEvent(dir: string, depth: number, kind: string, name: string | Buffer | null): void {
    if (!name) return;
    const path = join(dir, name.toString());
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      // a new folder (a diesel or Prisma migration): watch it, and report what it already holds
      if (depth < MAX_DEPTH && !SKIPPED_DIRS.has(basename(path)) && !this.watchers.has(path)) {
        this.watchTree(path, depth + 1);
        for (const file of filesUnder(path, MAX_DEPTH - depth - 1)) {
          this.queue(file, FileChangeType.Created);
        }
      }
      return;
    }
    if (!stat) {
      const gone = this.watchers.get(path);
      if (gone) {
        gone.close();
        this.watchers.delete(path);
      }
    }
    const prev = this.queued.get(path)?.type;
    // a new file gives a rename event and then change events: it stays a creation
    const created = prev === FileChangeType.Created || (prev === undefined && kind === 'rename');
    this.queue(
      path,
      !stat ? FileChangeType.Deleted : created ? FileChangeType.Created : FileChangeType.Changed,
    );
  }

  private queue(path: string, type: FileChangeType): void {
    this.queued.set(path, { uri: uriOfPath(path), type });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const events = [...this.queued.values()];
      this.queued = new Map();
      guarded(this.log, 'file watcher', () => this.deliver(events));
    }, 100);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.roots.clear();
  }
}

function filesUnder(dir: string, depth: number): string[] {
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isFile()) return [path];
    return e.isDirectory() && depth > 0 ? filesUnder(path, depth - 1) : [];
  });
}
