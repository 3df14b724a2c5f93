/**
 * Files changing on disk. A config file (pgmig.json, .squawk.toml) changing reloads everything;
 * a migration added or removed (or a runner's plan or journal changing) relists its folder; a
 * migration changed on disk that is not open reloads just that migration. Then the open
 * migrations of the folder are linted again. Clients that do not watch files get the same
 * events from fs.watch on each loaded folder.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
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

/**
 * fs.watch on loaded folders, for clients that cannot watch files. Events are gathered for a
 * moment, since one save or checkout produces several.
 */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private queued = new Map<string, FileEvent>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Log,
    private readonly deliver: (events: FileEvent[]) => void,
  ) {}

  watch(root: string): void {
    if (this.watchers.has(root)) return;
    const onEvent = (_: string, name: string | Buffer | null) => {
      if (!name) return;
      const path = join(root, name.toString());
      const type = existsSync(path) ? FileChangeType.Changed : FileChangeType.Deleted;
      const prev = this.queued.get(path);
      // a rename event for a file that exists is a creation unless we already knew it changed
      const created = !prev && type === FileChangeType.Changed && _ === 'rename';
      this.queued.set(path, {
        uri: uriOfPath(path),
        type: created ? FileChangeType.Created : type,
      });
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        const events = [...this.queued.values()];
        this.queued = new Map();
        guarded(this.log, 'file watcher', () => this.deliver(events));
      }, 100);
    };
    try {
      const w = watch(root, { recursive: true }, onEvent);
      w.on('error', (e) => {
        this.log.warn(`watching ${root} stopped: ${e.message}`);
        w.close();
        this.watchers.delete(root);
      });
      this.watchers.set(root, w);
    } catch (e) {
      this.log.warn(`cannot watch ${root}: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
