/**
 * The server's view of the workspace: open documents (their text wins over the disk), the
 * migration folders they belong to, the config of each, and the editor settings.
 */
import { existsSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver/node';
import { IncrementalParser } from '../parser/incremental';
import { DEFAULT_EDITOR_SETTINGS, type EditorSettings } from '../protocol/server';
import { ConfigCache } from './configs';
import { FolderState } from './folderState';
import type { Log } from './guard';
import { ScopeResolver } from './scope';
import { pathOfUri } from './uris';
import type { TableSize } from '../linter/tableSize';

/** Where an open migration file sits: its folder and its migration's index there. */
export interface Placement {
  state: FolderState;
  index: number;
  /** The folder was loaded just now, with the open documents' current texts. */
  fresh: boolean;
}

export class Workspace {
  readonly parser = new IncrementalParser();
  readonly configs: ConfigCache;
  readonly scope: ScopeResolver;
  editor: EditorSettings = { ...DEFAULT_EDITOR_SETTINGS };
  workspaceRoots: string[] = [];
  private readonly folders = new Map<string, FolderState>();
  /** Open documents by path (file: URIs only). */
  private readonly openPaths = new Map<string, string>();
  /** Real table sizes from the editor's connection, to weigh findings by. */
  tableSizes: ReadonlyMap<string, TableSize> | undefined;
  /** Called when a folder is loaded for the first time (the file watcher fallback). */
  onFolderLoaded: ((root: string) => void) | undefined;

  constructor(
    readonly documents: TextDocuments<TextDocument>,
    private readonly log: Log,
  ) {
    this.configs = new ConfigCache(log);
    this.scope = new ScopeResolver(this.configs, () => ({
      editorGlobs: this.editor.migrationGlobs,
      workspaceRoots: this.workspaceRoots,
    }));
  }

  opened(uri: string): string | undefined {
    const path = pathOfUri(uri);
    if (path) this.openPaths.set(path, uri);
    return path;
  }

  closed(uri: string): string | undefined {
    const path = pathOfUri(uri);
    if (path && this.openPaths.get(path) === uri) this.openPaths.delete(path);
    return path;
  }

  /** The open document of a path, if any. */
  document(path: string): TextDocument | undefined {
    const uri = this.openPaths.get(path);
    return uri ? this.documents.get(uri) : undefined;
  }

  uriOf(path: string): string | undefined {
    return this.openPaths.get(path);
  }

  openDocumentPaths(): string[] {
    return [...this.openPaths.keys()];
  }

  /** Why an open document is not linted (too large, binary), if it is not. */
  documentProblem(doc: TextDocument): string | undefined {
    const text = doc.getText();
    if (text.length > this.editor.maxFileSize)
      return `file is too large to lint (${text.length} characters; pgmig.maxFileSize is ${this.editor.maxFileSize})`;
    if (text.slice(0, 8192).includes('\0')) return 'binary file (contains NUL bytes); not linted';
    return undefined;
  }

  /** Texts of open documents, in place of the files on disk. */
  overlay(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [path, uri] of this.openPaths) {
      const doc = this.documents.get(uri);
      if (!doc) continue;
      out.set(path, this.documentProblem(doc) ? '' : doc.getText());
    }
    return out;
  }

  /** The folder of a file that is a migration, loading the folder on first use. */
  placement(path: string): Placement | undefined {
    const scope = this.scope.scopeOf(path);
    if (!scope) return undefined;
    let state = this.folders.get(scope.root);
    const fresh = !state;
    if (!state) {
      state = new FolderState(
        scope.root,
        this.configs.forDir(scope.root).loaded,
        this.parser,
        () => this.tableSizes,
      );
      const started = performance.now();
      state.reload(this.overlay());
      this.folders.set(scope.root, state);
      this.onFolderLoaded?.(scope.root);
      this.log.info(
        `${scope.root}: ${state.folder.format} layout (${state.folder.detectedBy}), ${state.folder.migrations.length} migrations, loaded in ${Math.round(performance.now() - started)} ms; ${path} is linted: ${scope.reason}`,
      );
    }
    let index = state.migrationIndexOf(path);
    if (index === undefined && !fresh && !state.knowsFile(path) && existsSync(path)) {
      // a file the folder did not have when it was listed: list it again
      state.reload(this.overlay());
      index = state.migrationIndexOf(path);
    }
    if (index === undefined && !existsSync(path)) {
      // an open document not on disk (not saved yet, or deleted): the folder's newest migration
      const text = this.overlay().get(path);
      if (text !== undefined) index = state.addDetached(path, text);
    }
    return index === undefined ? undefined : { state, index, fresh };
  }

  /** The loaded folder holding a path (a migration file or any file under its root). */
  folderHolding(path: string): FolderState | undefined {
    let best: FolderState | undefined;
    for (const s of this.folders.values())
      if (
        (path === s.root || path.startsWith(`${s.root}${sep}`)) &&
        (!best || s.root.length > best.root.length)
      )
        best = s;
    return best;
  }

  folderStates(): FolderState[] {
    return [...this.folders.values()];
  }

  /** Forgets every folder and config: the next request loads them again. */
  reset(): void {
    this.folders.clear();
    this.configs.clear();
    this.scope.forget();
  }

  /** Forgets one folder (its files changed on disk in ways a reload must see). */
  dropFolder(root: string): void {
    this.folders.delete(root);
    this.scope.forget(root);
  }

  /** The folder roots a changed file could affect: its own folder and any loaded one above it. */
  rootsAffectedBy(path: string): string[] {
    const dir = dirname(path);
    return [...this.folders.keys()].filter(
      (r) => path.startsWith(`${r}${sep}`) || r === dir || r.startsWith(`${dir}${sep}`),
    );
  }
}
