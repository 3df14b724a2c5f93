/**
 * Which files the language server lints: migration files, not every .sql file in a workspace.
 * A file is a migration when it matches the configured globs (editor setting or pgmig.json's
 * `migrationGlobs`); without globs, when it lies in one of pgmig.json's `migrations` folders, in
 * a folder whose runner layout pgmig detects (as `pgmig lint` does), or in a folder named
 * migrations, migration or migrate. The folder a migration belongs to is found as the engine
 * finds it (folderOfFile), or is the configured folder that holds it.
 */
import { sep } from 'node:path';
import { detectFormat, folderOfFile, listFiles, makeListing } from '../folder/load';
import type { ConfigCache } from './configs';
import { globMatcher } from './globs';

export interface Scope {
  /** Root of the migration folder. */
  root: string;
  /** Why the file is linted, for the log. */
  reason: string;
}

export interface ScopeInputs {
  /** `pgmig.migrationGlobs` of the editor. */
  editorGlobs: string[];
  /** Workspace folders (absolute), the base of relative editor globs. */
  workspaceRoots: string[];
}

const MIGRATION_DIR_NAMES = new Set(['migrations', 'migration', 'migrate']);

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

export class ScopeResolver {
  private readonly layouts = new Map<string, boolean>();

  constructor(
    private readonly configs: ConfigCache,
    private readonly inputs: () => ScopeInputs,
  ) {}

  scopeOf(path: string): Scope | undefined {
    if (!/\.sql$/i.test(path)) return undefined;
    const dir = path.slice(0, Math.max(path.lastIndexOf(sep), 0)) || sep;
    const { loaded } = this.configs.forDir(dir);
    const { editorGlobs, workspaceRoots } = this.inputs();
    const configured = loaded.settings.migrations.find((m) => isUnder(path, m));
    const workspace = workspaceRoots
      .filter((r) => isUnder(path, r))
      .sort((a, b) => b.length - a.length)[0];
    const editor = editorGlobs.length > 0 ? globMatcher(editorGlobs, workspace ?? dir) : undefined;
    const fromConfig = loaded.settings.migrationGlobs ?? [];
    const config = fromConfig.length > 0 ? globMatcher(fromConfig, loaded.baseDir) : undefined;
    if (editor || config) {
      if (editor?.(path))
        return { root: configured ?? folderOfFile(path), reason: 'matches pgmig.migrationGlobs' };
      if (config?.(path))
        return {
          root: configured ?? folderOfFile(path),
          reason: `matches migrationGlobs of ${loaded.configFile ?? 'the config'}`,
        };
      return undefined;
    }
    if (configured) return { root: configured, reason: `in a "migrations" folder of pgmig.json` };
    const root = folderOfFile(path);
    if (this.hasLayout(root)) return { root, reason: 'in a folder with a runner layout' };
    const named = root.split(sep).some((s) => MIGRATION_DIR_NAMES.has(s.toLowerCase()));
    return named ? { root, reason: 'in a folder named like migrations' } : undefined;
  }

  /** Forgets what was detected (files were added or removed, or the config changed). */
  forget(root?: string): void {
    if (root === undefined) this.layouts.clear();
    else this.layouts.delete(root);
  }

  private hasLayout(root: string): boolean {
    let known = this.layouts.get(root);
    if (known === undefined) {
      known = detectFormat(makeListing(root, listFiles(root), new Map())) !== undefined;
      this.layouts.set(root, known);
    }
    return known;
  }
}
