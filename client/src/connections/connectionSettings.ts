/**
 * Named connections from the `pgmig.connections` setting, checked: entries a user typed by hand
 * may be malformed, and one bad entry must not hide the others. Passwords never live here.
 * (No vscode import: unit tests run this in plain Node.)
 */
import { SSL_MODES, type SslMode } from '../../../server/src/db/types';
import type { WireNamedConnection } from '../../../server/src/protocol/runner';

export interface ConnectionSettings {
  connections: WireNamedConnection[];
  /** What is wrong with the entries left out, for the log. */
  problems: string[];
}

/** Splits a URL's password off; returns the URL without it. */
export function splitPassword(url: string): { url: string; password?: string } {
  const u = new URL(url);
  if (!u.password) return { url };
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

/** A URL's password, if it carries one: `postgres://user:secret@host/db`. */
export function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

export function parseConnections(raw: unknown): ConnectionSettings {
  const connections: WireNamedConnection[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { connections, problems };
  if (!Array.isArray(raw)) return { connections, problems: ['pgmig.connections is not a list'] };
  const names = new Set<string>();
  raw.forEach((entry: unknown, i) => {
    const problem = check(entry, names);
    if (problem) problems.push(`pgmig.connections[${i}]: ${problem}`);
    else {
      const c = entry as WireNamedConnection;
      names.add(c.name);
      connections.push(pick(c));
    }
  });
  return { connections, problems };
}

function check(entry: unknown, names: Set<string>): string | undefined {
  if (!entry || typeof entry !== 'object') return 'not an object';
  const e = entry as Record<string, unknown>;
  if (typeof e.name !== 'string' || !e.name.trim()) return 'needs a name';
  if (names.has(e.name)) return `a second connection named "${e.name}"`;
  for (const key of ['url', 'host', 'database', 'user'] as const)
    if (e[key] !== undefined && typeof e[key] !== 'string') return `${key} must be a string`;
  if (e.port !== undefined && (!Number.isInteger(e.port) || (e.port as number) <= 0))
    return 'port must be a positive integer';
  if (e.sslmode !== undefined && !SSL_MODES.includes(e.sslmode as SslMode))
    return `sslmode must be one of ${SSL_MODES.join(', ')}`;
  if (e.protected !== undefined && typeof e.protected !== 'boolean')
    return 'protected must be true or false';
  if (e.password !== undefined)
    return 'has a password: remove it; pgmig asks for it and keeps it in secret storage';
  if (typeof e.url === 'string' && urlHasPassword(e.url))
    return 'its url has a password: remove it; pgmig asks for it and keeps it in secret storage';
  if (e.url === undefined && e.host === undefined && e.database === undefined)
    return 'needs a url, or a host and database';
  return undefined;
}

/** Only the known keys, so nothing unexpected travels to the server. */
function pick(c: WireNamedConnection): WireNamedConnection {
  return {
    name: c.name,
    ...(c.url !== undefined && { url: c.url }),
    ...(c.host !== undefined && { host: c.host }),
    ...(c.port !== undefined && { port: c.port }),
    ...(c.database !== undefined && { database: c.database }),
    ...(c.user !== undefined && { user: c.user }),
    ...(c.sslmode !== undefined && { sslmode: c.sslmode }),
    ...(c.protected !== undefined && { protected: c.protected }),
  };
}

/** `user@host:port/database` of a named connection, for labels (never a password). */
export function describeNamed(c: WireNamedConnection): string {
  if (c.url) {
    try {
      const u = new URL(c.url);
      const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
      const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
      return `${user}${c.host ?? u.hostname}${u.port ? `:${u.port}` : ''}/${c.database ?? db}`;
    } catch {
      return 'an unreadable URL';
    }
  }
  const user = c.user ? `${c.user}@` : '';
  return `${user}${c.host ?? 'localhost'}${c.port ? `:${c.port}` : ''}/${c.database ?? ''}`;
}
