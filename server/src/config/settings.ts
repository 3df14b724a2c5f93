/**
 * Effective settings of a lint run, merged from pgmig.json, .squawk.toml, the command line and
 * (later) editor settings by one reader.
 */
import type { FormatId } from '../folder/model';
import type { Severity } from '../linter/types';

export type RuleSetting = Severity | 'off';

export interface Settings {
  /** Target PostgreSQL major version; every version-dependent verdict follows it. */
  pgVersion: number;
  /** Per-rule override: off or a severity. Opt-in rules are enabled by naming them here. */
  rules: Record<string, RuleSetting>;
  /** Force a migration format instead of detecting it. */
  format?: FormatId;
  /** Migration folders relative to the config file (for the language server and `lint` with no paths). */
  migrations: string[];
  /**
   * Globs of the migration files the language server lints, relative to the config file (as
   * written). Unset: files of the `migrations` folders and of folders with a detected layout.
   */
  migrationGlobs?: string[];
  /** Treat sections of unknown layouts as running inside a transaction. */
  assumeInTransaction: boolean;
}

export const DEFAULT_PG_VERSION = 16;

export function defaultSettings(): Settings {
  return {
    pgVersion: DEFAULT_PG_VERSION,
    rules: {},
    migrations: [],
    assumeInTransaction: false,
  };
}
