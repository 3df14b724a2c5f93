/**
 * One migration folder as the language server keeps it: the model of its migrations (open
 * editor buffers in place of the files on disk), and the schema model replayed up to the
 * migrations that are open, so that linting one of them replays nothing it does not have to.
 * An edit reloads only the migration it is in, through the incremental parser.
 */
import { relative, sep } from 'node:path';
import type { LoadedSettings } from '../config/load';
import { loadFolder, loadSingleFile, type ReadProblems } from '../folder/load';
import type { Migration, MigrationFolder, SourceFile } from '../folder/model';
import { loadMigrationsOf } from '../folder/partial';
import { activeRules, lintMigration, replayMigration } from '../linter/lint';
import { LintJournal } from '../linter/journal';
import type { Violation } from '../linter/types';
import type { IncrementalParser } from '../parser/incremental';
import { withSectionParser } from '../parser/parse';
import { Catalog } from '../schema/catalog';
import type { TableSize } from '../linter/tableSize';

export class FolderState {
  folder!: MigrationFolder;
  private problems: ReadProblems = new Map();
  private indexOfPath = new Map<string, number>();
  private readonly filesByPath = new Map<string, SourceFile>();
  /** Goes up with every change to the folder's model (caches of derived facts compare it). */
  generation = 0;
  /** Schema model before migration i (only where asked). */
  private readonly catalogs = new Map<number, Catalog>();
  /** What the last lint of migration i kept, valid while the model before it is the same. */
  private readonly journals = new Map<number, { before: Catalog; journal: LintJournal }>();

  constructor(
    readonly root: string,
    public config: LoadedSettings,
    readonly parser: IncrementalParser,
    /** Real table sizes from the editor's connection, when it gave them. */
    readonly sizes: () => ReadonlyMap<string, TableSize> | undefined = () => undefined,
  ) {}

  get settings() {
    return this.config.settings;
  }

  /** Open documents of this folder that are not on disk (new, unsaved): the newest migrations. */
  private readonly detached = new Set<string>();

  /** Lists and loads the whole folder again (files added or removed, config changed). */
  reload(overlay: Map<string, string>): void {
    const problems: ReadProblems = new Map();
    this.folder = withSectionParser(this.parser.parse, () =>
      loadFolder(this.root, { format: this.settings.format, overlay }, problems),
    );
    this.problems = problems;
    this.catalogs.clear();
    this.journals.clear();
    this.generation++;
    this.reindex();
    for (const path of [...this.detached]) {
      this.detached.delete(path);
      const text = overlay.get(path);
      if (text !== undefined && !this.indexOfPath.has(path)) this.addDetached(path, text);
    }
  }

  /**
   * Adds an open document that is not on disk (so not in the folder's listing) as the folder's
   * newest migration, read on its own as `pgmig lint` reads a single file.
   */
  addDetached(path: string, text: string): number {
    this.generation++;
    const m = this.detachedMigration(path, text);
    this.folder.migrations.push(m);
    this.detached.add(path);
    const i = this.folder.migrations.length - 1;
    for (const f of m.files) {
      this.indexOfPath.set(f.path, i);
      this.filesByPath.set(f.path, f);
    }
    return i;
  }

  private detachedMigration(path: string, text: string): Migration {
    const format = this.folder.format === 'unknown' ? undefined : this.folder.format;
    return withSectionParser(this.parser.parse, () => loadSingleFile(path, text, format));
  }

  /**
   * Loads again the migration that `path` belongs to. Returns its index, or undefined when the
   * folder had to be reloaded whole (the file was not part of a migration, or its edit changed
   * which migration it forms).
   */
  update(path: string, overlay: Map<string, string>): number | undefined {
    this.generation++;
    const i = this.indexOfPath.get(path);
    if (i === undefined) {
      this.reload(overlay);
      return undefined;
    }
    const old = this.folder.migrations[i];
    if (this.detached.has(path)) {
      const text = overlay.get(path);
      if (text === undefined) {
        this.detached.delete(path);
        this.reload(overlay);
        return undefined;
      }
      this.folder.migrations[i] = this.detachedMigration(path, text);
      for (const f of this.folder.migrations[i].files) this.filesByPath.set(f.path, f);
      this.forgetAfter(i);
      return i;
    }
    const files = old.files.map((f) => f.path);
    const problems: ReadProblems = new Map();
    const loaded = withSectionParser(this.parser.parse, () =>
      loadMigrationsOf(this.folder, files, overlay, problems),
    );
    if (loaded.length !== 1 || loaded[0].id !== old.id) {
      this.reload(overlay);
      return undefined;
    }
    this.folder.migrations[i] = loaded[0];
    for (const f of files) this.problems.delete(f);
    for (const [f, p] of problems) this.problems.set(f, p);
    for (const f of loaded[0].files) this.filesByPath.set(f.path, f);
    this.forgetAfter(i);
    return i;
  }

  /** Models and journals of the migrations after `i` no longer hold: `i` changed. */
  private forgetAfter(i: number): void {
    for (const k of [...this.catalogs.keys()]) if (k > i) this.catalogs.delete(k);
    for (const k of [...this.journals.keys()]) if (k > i) this.journals.delete(k);
  }

  /** Whether the folder's listing had this file (as a migration or as a file it ignores). */
  knowsFile(path: string): boolean {
    return (
      this.indexOfPath.has(path) ||
      this.folder.ignoredFiles.includes(relative(this.root, path).split(sep).join('/'))
    );
  }

  migrationIndexOf(path: string): number | undefined {
    return this.indexOfPath.get(path);
  }

  migration(i: number): Migration {
    return this.folder.migrations[i];
  }

  /** A file of the folder's migrations as last loaded. */
  file(path: string): SourceFile | undefined {
    return this.filesByPath.get(path);
  }

  readProblem(path: string): string | undefined {
    return this.problems.get(path);
  }

  /** The schema model as it stands before migration `i` runs (a copy the caller may change). */
  catalogBefore(i: number): Catalog {
    let from = -1;
    for (const k of this.catalogs.keys()) if (k <= i && k > from) from = k;
    let catalog: Catalog;
    if (from === i) return this.catalogs.get(i)!.clone();
    if (from < 0) {
      catalog = new Catalog();
      from = 0;
    } else catalog = this.catalogs.get(from)!.clone();
    for (let k = from; k < i; k++) replayMigration(this.folder.migrations[k], catalog);
    this.catalogs.set(i, catalog);
    return catalog.clone();
  }

  /** Findings of migration `i`, with what could not be read reported like the CLI does. */
  lint(i: number): Violation[] {
    const m = this.folder.migrations[i];
    const catalog = this.catalogBefore(i);
    const before = this.catalogs.get(i)!;
    let kept = this.journals.get(i);
    if (kept?.before !== before)
      this.journals.set(i, (kept = { before, journal: new LintJournal() }));
    const options = { settings: this.settings, tableSizes: this.sizes(), journal: kept.journal };
    const out = lintMigration(m, catalog, options, this.folder);
    const severity = activeRules(options).find((r) => r.rule.id === 'syntax-error')?.severity;
    if (severity)
      for (const f of m.files) {
        const problem = this.problems.get(f.path);
        if (problem)
          out.push({
            rule: 'syntax-error',
            severity,
            file: f.path,
            start: 0,
            end: 0,
            message: problem,
            fixes: [],
          });
      }
    return out;
  }

  /** Paths of the folder's migration files. */
  paths(): string[] {
    return [...this.indexOfPath.keys()];
  }

  label(path: string): string {
    return relative(this.root, path);
  }

  private reindex(): void {
    this.indexOfPath = new Map();
    this.filesByPath.clear();
    this.folder.migrations.forEach((m, i) => {
      for (const f of m.files) {
        this.indexOfPath.set(f.path, i);
        this.filesByPath.set(f.path, f);
      }
    });
  }
}
