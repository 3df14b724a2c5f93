/**
 * The one reader of pgmig's configuration, shared by the command line and the language server:
 * pgmig.json (JSON schema in schemas/pgmig.schema.json) and an existing .squawk.toml, merged
 * under command-line overrides. Precedence: overrides > pgmig.json > .squawk.toml > defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { FORMAT_IDS, type FormatId } from '../folder/model';
import { defaultSettings, type RuleSetting, type Settings } from './settings';

export class ConfigError extends Error {}

export interface LoadedSettings {
  settings: Settings;
  configFile?: string;
  squawkFile?: string;
  /** Folder the config's relative paths are relative to. */
  baseDir: string;
  warnings: string[];
}

const RULE_SETTINGS = new Set(['off', 'error', 'warning', 'info', 'hint']);
const KEYS = new Set([
  '$schema',
  'pgVersion',
  'rules',
  'migrations',
  'format',
  'assumeInTransaction',
]);

/** The nearest directory at or above `from` holding pgmig.json or .squawk.toml (stops at .git). */
export function findConfigDir(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pgmig.json')) || existsSync(join(dir, '.squawk.toml'))) return dir;
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function loadSettings(opts: {
  cwd: string;
  configPath?: string;
  overrides?: Partial<Settings>;
  knownRules?: ReadonlySet<string>;
}): LoadedSettings {
  const settings = defaultSettings();
  const warnings: string[] = [];
  let configFile: string | undefined;
  let squawkFile: string | undefined;
  let baseDir = opts.cwd;
  if (opts.configPath) {
    configFile = resolve(opts.cwd, opts.configPath);
    if (!existsSync(configFile)) throw new ConfigError(`config file not found: ${opts.configPath}`);
    baseDir = dirname(configFile);
  } else {
    const dir = findConfigDir(opts.cwd);
    if (dir) {
      baseDir = dir;
      if (existsSync(join(dir, 'pgmig.json'))) configFile = join(dir, 'pgmig.json');
    }
  }
  const squawkCandidate = join(baseDir, '.squawk.toml');
  if (existsSync(squawkCandidate)) {
    squawkFile = squawkCandidate;
    applySquawk(settings, squawkFile);
  }
  if (configFile) applyPgmigJson(settings, configFile, warnings, opts.knownRules);
  const o = opts.overrides ?? {};
  if (o.pgVersion !== undefined) settings.pgVersion = o.pgVersion;
  if (o.format !== undefined) settings.format = o.format;
  if (o.assumeInTransaction !== undefined) settings.assumeInTransaction = o.assumeInTransaction;
  if (o.rules) Object.assign(settings.rules, o.rules);
  if (o.migrations) settings.migrations = o.migrations;
  return { settings, configFile, squawkFile, baseDir, warnings };
}

function applySquawk(settings: Settings, file: string): void {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${file}: invalid TOML: ${(e as Error).message.split('\n')[0]}`);
  }
  const excluded = doc.excluded_rules;
  if (Array.isArray(excluded)) for (const r of excluded) settings.rules[String(r)] = 'off';
  if (doc.pg_version !== undefined) {
    const v = parseInt(String(doc.pg_version), 10);
    if (!Number.isFinite(v))
      throw new ConfigError(`${file}: pg_version must be a version like "15.0"`);
    settings.pgVersion = v;
  }
  if (typeof doc.assume_in_transaction === 'boolean')
    settings.assumeInTransaction = doc.assume_in_transaction;
}

function applyPgmigJson(
  settings: Settings,
  file: string,
  warnings: string[],
  knownRules?: ReadonlySet<string>,
): void {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`${file}: expected a JSON object`);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!KEYS.has(k)) throw new ConfigError(`${file}: unknown key "${k}"`);
  if (d.pgVersion !== undefined) {
    if (
      typeof d.pgVersion !== 'number' ||
      !Number.isInteger(d.pgVersion) ||
      d.pgVersion < 9 ||
      d.pgVersion > 30
    )
      throw new ConfigError(`${file}: pgVersion must be a PostgreSQL major version such as 16`);
    settings.pgVersion = d.pgVersion;
  }
  if (d.rules !== undefined) {
    if (!d.rules || typeof d.rules !== 'object' || Array.isArray(d.rules))
      throw new ConfigError(
        `${file}: rules must be an object of rule id → off|error|warning|info|hint`,
      );
    for (const [id, v] of Object.entries(d.rules as Record<string, unknown>)) {
      if (typeof v !== 'string' || !RULE_SETTINGS.has(v))
        throw new ConfigError(
          `${file}: rules.${id} must be one of off, error, warning, info, hint`,
        );
      if (knownRules && !knownRules.has(id)) warnings.push(`${file}: unknown rule "${id}"`);
      settings.rules[id] = v as RuleSetting;
    }
  }
  if (d.migrations !== undefined) {
    if (!Array.isArray(d.migrations) || d.migrations.some((m) => typeof m !== 'string'))
      throw new ConfigError(`${file}: migrations must be an array of folder paths`);
    settings.migrations = d.migrations.map((m) => resolve(dirname(file), m as string));
  }
  if (d.format !== undefined) {
    if (typeof d.format !== 'string' || !(FORMAT_IDS as readonly string[]).includes(d.format))
      throw new ConfigError(`${file}: format must be one of ${FORMAT_IDS.join(', ')}`);
    settings.format = d.format as FormatId;
  }
  if (d.assumeInTransaction !== undefined) {
    if (typeof d.assumeInTransaction !== 'boolean')
      throw new ConfigError(`${file}: assumeInTransaction must be true or false`);
    settings.assumeInTransaction = d.assumeInTransaction;
  }
}
