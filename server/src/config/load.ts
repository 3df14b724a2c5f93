/**
 * The one reader of pgmig's configuration, shared by the command line and the language server:
 * pgmig.json (JSON schema in schemas/pgmig.schema.json) and an existing .squawk.toml, merged
 * under command-line overrides. Precedence: overrides > pgmig.json > .squawk.toml > defaults.
 * A config that cannot be read or has unknown keys or bad values is a ConfigError naming the file;
 * an unknown rule id is only a warning, so a config written for a newer pgmig still works.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { FORMAT_IDS, type FormatId } from '../folder/model';
import { defaultSettings, type RuleSetting, type Settings } from './settings';
import { canonicalRuleId } from '../linter/ruleAliases';

export class ConfigError extends Error {}

export interface LoadedSettings {
  settings: Settings;
  configFile?: string;
  squawkFile?: string;
  /** Folder the config's relative paths are relative to. */
  baseDir: string;
  warnings: string[];
}

export const CONFIG_FILE = 'pgmig.json';
export const SQUAWK_FILE = '.squawk.toml';

const RULE_SETTINGS = new Set(['off', 'error', 'warning', 'info', 'hint']);
/** The keys of pgmig.json; schemas/pgmig.schema.json lists the same (checked by a test). */
export const CONFIG_KEYS: ReadonlySet<string> = new Set([
  '$schema',
  'pgVersion',
  'rules',
  'migrations',
  'migrationGlobs',
  'format',
  'assumeInTransaction',
  // read by runner/config.ts
  'runner',
  'connections',
]);
// squawk's own keys that have no pgmig meaning (paths and GitHub upload): accepted and unused
const SQUAWK_UNUSED = new Set(['excluded_paths', 'included_rules', 'upload_to_github']);
const MIN_PG = 9;
const MAX_PG = 30;

/** The nearest directory at or above `from` holding pgmig.json or .squawk.toml (stops at .git). */
export function findConfigDir(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE)) || existsSync(join(dir, SQUAWK_FILE))) return dir;
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function loadSettings(opts: {
  cwd: string;
  /** An explicit config file: pgmig.json, or a .toml read as squawk's. */
  configPath?: string;
  overrides?: Partial<Settings>;
  /** Rule ids of the registry; others in a config are reported as warnings. */
  knownRules?: ReadonlySet<string>;
}): LoadedSettings {
  const settings = defaultSettings();
  const warnings: string[] = [];
  let configFile: string | undefined;
  let squawkFile: string | undefined;
  let baseDir = resolve(opts.cwd);
  if (opts.configPath) {
    const file = resolve(opts.cwd, opts.configPath);
    if (!existsSync(file)) throw new ConfigError(`config file not found: ${opts.configPath}`);
    baseDir = dirname(file);
    if (/\.toml$/i.test(file)) squawkFile = file;
    else {
      configFile = file;
      if (existsSync(join(baseDir, SQUAWK_FILE))) squawkFile = join(baseDir, SQUAWK_FILE);
    }
  } else {
    const dir = findConfigDir(opts.cwd);
    if (dir) {
      baseDir = dir;
      if (existsSync(join(dir, CONFIG_FILE))) configFile = join(dir, CONFIG_FILE);
      if (existsSync(join(dir, SQUAWK_FILE))) squawkFile = join(dir, SQUAWK_FILE);
    }
  }
  if (squawkFile) applySquawk(settings, squawkFile, warnings, opts.knownRules);
  if (configFile) applyPgmigJson(settings, configFile, warnings, opts.knownRules);
  const o = opts.overrides ?? {};
  if (o.pgVersion !== undefined) settings.pgVersion = o.pgVersion;
  if (o.format !== undefined) settings.format = o.format;
  if (o.assumeInTransaction !== undefined) settings.assumeInTransaction = o.assumeInTransaction;
  if (o.rules) Object.assign(settings.rules, o.rules);
  if (o.migrations) settings.migrations = o.migrations;
  return { settings, configFile, squawkFile, baseDir, warnings };
}

function readConfig(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read: ${(e as Error).message}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkRuleId(
  file: string,
  id: string,
  warnings: string[],
  knownRules?: ReadonlySet<string>,
): void {
  if (knownRules && !knownRules.has(id)) warnings.push(`${file}: unknown rule "${id}"`);
}

function applySquawk(
  settings: Settings,
  file: string,
  warnings: string[],
  knownRules?: ReadonlySet<string>,
): void {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(readConfig(file));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${file}: invalid TOML: ${(e as Error).message.split('\n')[0]}`);
  }
  for (const k of Object.keys(doc))
    if (
      !['excluded_rules', 'pg_version', 'assume_in_transaction'].includes(k) &&
      !SQUAWK_UNUSED.has(k)
    )
      throw new ConfigError(`${file}: unknown key "${k}"`);
  if (doc.excluded_rules !== undefined) {
    const ex = doc.excluded_rules;
    if (!Array.isArray(ex) || ex.some((r) => typeof r !== 'string'))
      throw new ConfigError(`${file}: excluded_rules must be an array of rule names`);
    for (const raw of ex as string[]) {
      const r = canonicalRuleId(raw);
      checkRuleId(file, r, warnings, knownRules);
      settings.rules[r] = 'off';
    }
  }
  if (doc.pg_version !== undefined) {
    const raw = doc.pg_version;
    // squawk writes "15.0"; a bare 15 is accepted too
    const m = typeof raw === 'string' ? /^\s*(\d+)(?:\.\d+){0,2}\s*$/.exec(raw) : undefined;
    const v = typeof raw === 'number' ? raw : m ? Number(m[1]) : NaN;
    if (!Number.isInteger(v) || v < MIN_PG || v > MAX_PG)
      throw new ConfigError(`${file}: pg_version must be a version such as "15.0"`);
    settings.pgVersion = v;
  }
  if (doc.assume_in_transaction !== undefined) {
    if (typeof doc.assume_in_transaction !== 'boolean')
      throw new ConfigError(`${file}: assume_in_transaction must be true or false`);
    settings.assumeInTransaction = doc.assume_in_transaction;
  }
}

function applyPgmigJson(
  settings: Settings,
  file: string,
  warnings: string[],
  knownRules?: ReadonlySet<string>,
): void {
  let doc: unknown;
  try {
    doc = JSON.parse(readConfig(file));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new ConfigError(`${file}: expected a JSON object`);
  for (const k of Object.keys(doc))
    if (!CONFIG_KEYS.has(k)) throw new ConfigError(`${file}: unknown key "${k}"`);
  if (doc.pgVersion !== undefined) {
    const v = doc.pgVersion;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_PG || v > MAX_PG)
      throw new ConfigError(`${file}: pgVersion must be a PostgreSQL major version such as 16`);
    settings.pgVersion = v;
  }
  if (doc.rules !== undefined) {
    if (!isObject(doc.rules))
      throw new ConfigError(
        `${file}: rules must be an object of rule id → off|error|warning|info|hint`,
      );
    for (const [id, v] of Object.entries(doc.rules)) {
      if (typeof v !== 'string' || !RULE_SETTINGS.has(v))
        throw new ConfigError(
          `${file}: rules.${id} must be one of off, error, warning, info, hint`,
        );
      checkRuleId(file, canonicalRuleId(id), warnings, knownRules);
      settings.rules[canonicalRuleId(id)] = v as RuleSetting;
    }
  }
  if (doc.migrations !== undefined) {
    const ms = doc.migrations;
    if (!Array.isArray(ms) || ms.some((m) => typeof m !== 'string' || m === ''))
      throw new ConfigError(`${file}: migrations must be an array of folder paths`);
    settings.migrations = (ms as string[]).map((m) => resolve(dirname(file), m));
  }
  if (doc.migrationGlobs !== undefined) {
    const gs = doc.migrationGlobs;
    if (!Array.isArray(gs) || gs.some((g) => typeof g !== 'string' || g === ''))
      throw new ConfigError(`${file}: migrationGlobs must be an array of glob patterns`);
    settings.migrationGlobs = gs as string[];
  }
  if (doc.format !== undefined) {
    if (typeof doc.format !== 'string' || !(FORMAT_IDS as readonly string[]).includes(doc.format))
      throw new ConfigError(`${file}: format must be one of ${FORMAT_IDS.join(', ')}`);
    settings.format = doc.format as FormatId;
  }
  if (doc.assumeInTransaction !== undefined) {
    if (typeof doc.assumeInTransaction !== 'boolean')
      throw new ConfigError(`${file}: assumeInTransaction must be true or false`);
    settings.assumeInTransaction = doc.assumeInTransaction;
  }
}
