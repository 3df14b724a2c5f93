/**
 * The runner's part of pgmig.json: `runner` (lock timeout, retries, side table) and `connections`
 * (named connections: a URL or host/port/database/user/sslmode, never a password — pgmig.json is
 * committed). Read by the CLI; the editor passes its own settings in the same shapes.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/load';
import { SSL_MODES, type NamedConnection, type SslMode } from '../db/types';
import { parsePostgresUrl } from '../db/url';
import type { RunnerSettings } from './types';

export interface RunnerConfig {
  settings: Partial<RunnerSettings>;
  connections: NamedConnection[];
}

/** `5s`, `500ms`, `2min`, or a number of milliseconds. */
export function parseDuration(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(v) : null;
  if (!m) throw new ConfigError(`${what} must be a duration such as "5s", "500ms" or "2min"`);
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Number(m[1]) * unit;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const RUNNER_KEYS = new Set([
  'lockTimeout',
  'lockRetries',
  'retryBackoff',
  'lockWait',
  'sideTable',
]);
const CONNECTION_KEYS = new Set([
  'url',
  'host',
  'port',
  'database',
  'user',
  'sslmode',
  'protected',
]);

export function runnerConfigFrom(doc: Record<string, unknown>, file: string): RunnerConfig {
  const settings: Partial<RunnerSettings> = {};
  const r = doc.runner;
  if (r !== undefined) {
    if (!isObject(r)) throw new ConfigError(`${file}: runner must be an object`);
    for (const k of Object.keys(r))
      if (!RUNNER_KEYS.has(k)) throw new ConfigError(`${file}: unknown key "runner.${k}"`);
    if (r.lockTimeout !== undefined)
      settings.lockTimeoutMs = parseDuration(r.lockTimeout, `${file}: runner.lockTimeout`);
    if (r.retryBackoff !== undefined)
      settings.retryBackoffMs = parseDuration(r.retryBackoff, `${file}: runner.retryBackoff`);
    if (r.lockWait !== undefined)
      settings.runnerLockWaitMs = parseDuration(r.lockWait, `${file}: runner.lockWait`);
    if (r.lockRetries !== undefined) {
      if (!Number.isInteger(r.lockRetries) || (r.lockRetries as number) < 0)
        throw new ConfigError(`${file}: runner.lockRetries must be a whole number`);
      settings.lockRetries = r.lockRetries as number;
    }
    if (r.sideTable !== undefined) {
      if (typeof r.sideTable !== 'boolean')
        throw new ConfigError(`${file}: runner.sideTable must be true or false`);
      settings.sideTable = r.sideTable;
    }
  }
  const connections: NamedConnection[] = [];
  const cs = doc.connections;
  if (cs !== undefined) {
    if (!isObject(cs))
      throw new ConfigError(`${file}: connections must be an object of name → connection`);
    for (const [name, c] of Object.entries(cs)) connections.push(namedConnection(name, c, file));
  }
  return { settings, connections };
}

export function namedConnection(name: string, c: unknown, file: string): NamedConnection {
  const at = `${file}: connections.${name}`;
  if (!isObject(c)) throw new ConfigError(`${at} must be an object`);
  if ('password' in c)
    throw new ConfigError(
      `${at}: passwords do not belong in settings; use PGPASSWORD or ~/.pgpass (the editor keeps them in its secret storage)`,
    );
  for (const k of Object.keys(c))
    if (!CONNECTION_KEYS.has(k)) throw new ConfigError(`${at}: unknown key "${k}"`);
  const out: NamedConnection = { name };
  if (c.url !== undefined) {
    if (typeof c.url !== 'string') throw new ConfigError(`${at}.url must be a string`);
    let hasPassword: boolean;
    try {
      hasPassword = parsePostgresUrl(c.url).password !== undefined;
    } catch (e) {
      throw new ConfigError(`${at}.url: ${(e as Error).message}`);
    }
    if (hasPassword)
      throw new ConfigError(`${at}.url contains a password; remove it from the settings`);
    out.url = c.url;
  }
  for (const k of ['host', 'database', 'user'] as const) {
    if (c[k] === undefined) continue;
    if (typeof c[k] !== 'string') throw new ConfigError(`${at}.${k} must be a string`);
    out[k] = c[k] as string;
  }
  if (c.port !== undefined) {
    if (!Number.isInteger(c.port) || (c.port as number) < 1 || (c.port as number) > 65535)
      throw new ConfigError(`${at}.port must be a TCP port number`);
    out.port = c.port as number;
  }
  if (c.sslmode !== undefined) {
    if (!SSL_MODES.includes(c.sslmode as SslMode))
      throw new ConfigError(`${at}.sslmode must be one of ${SSL_MODES.join(', ')}`);
    out.sslmode = c.sslmode as SslMode;
  }
  if (c.protected !== undefined) {
    if (typeof c.protected !== 'boolean')
      throw new ConfigError(`${at}.protected must be true or false`);
    out.protected = c.protected;
  }
  return out;
}

/** The runner config of a pgmig.json file (none when there is no file). */
export function loadRunnerConfig(configFile: string | undefined): RunnerConfig {
  if (!configFile) return { settings: {}, connections: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${configFile}: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new ConfigError(`${configFile}: expected a JSON object`);
  return runnerConfigFrom(doc, configFile);
}
