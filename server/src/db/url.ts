/**
 * PostgreSQL connection URLs (`postgres://user:pass@host:port/db?sslmode=require`) read with libpq's
 * meaning, so a URL behaves as it does in psql and the team's own runner: `sslmode=require`
 * encrypts without verifying, `verify-full` verifies; absent means `prefer`.
 */
import { SSL_MODES, type ServerParams, type SslMode } from './types';

export class ConnectionStringError extends Error {}

export function isPostgresUrl(s: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(s.trim());
}

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ConnectionStringError(`the connection URL has a badly encoded ${what}`);
  }
}

export function parsePostgresUrl(raw: string, env: NodeJS.ProcessEnv = {}): ServerParams {
  const text = raw.trim();
  if (!isPostgresUrl(text))
    throw new ConnectionStringError(
      'a connection must be a postgres:// or postgresql:// URL (or memory, embedded, or a connection name)',
    );
  let url: URL;
  try {
    // WHATWG URL only parses special schemes' hosts; swap the scheme to keep host and port
    // (a URL without a host, postgres:///db, names its socket directory in ?host=)
    url = new URL(
      text
        .replace(/^postgres(?:ql)?:\/\/(?=\/)/i, 'http://nohost.invalid')
        .replace(/^postgres(?:ql)?:/i, 'http:'),
    );
  } catch {
    throw new ConnectionStringError('the connection URL cannot be parsed');
  }
  const q = url.searchParams;
  const sslmode = (q.get('sslmode') ?? env.PGSSLMODE ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode))
    throw new ConnectionStringError(
      `sslmode must be one of ${SSL_MODES.join(', ')} (got '${sslmode}')`,
    );
  const portText = url.port || q.get('port') || env.PGPORT || '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new ConnectionStringError(`the port '${portText}' is not a valid TCP port`);
  const named =
    url.hostname && url.hostname !== 'nohost.invalid' ? decode(url.hostname, 'host') : undefined;
  const host = q.get('host') ?? named ?? env.PGHOST ?? 'localhost';
  const path = url.pathname.replace(/^\//, '');
  const user =
    (url.username ? decode(url.username, 'user name') : q.get('user')) ??
    env.PGUSER ??
    env.USER ??
    'postgres';
  const database =
    (path ? decode(path, 'database name') : q.get('dbname')) ?? env.PGDATABASE ?? user;
  const timeout = q.get('connect_timeout');
  return {
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port,
    database,
    user,
    password: url.password ? decode(url.password, 'password') : (q.get('password') ?? undefined),
    sslmode,
    sslrootcert: q.get('sslrootcert') ?? undefined,
    connectTimeout: timeout !== null && Number(timeout) > 0 ? Number(timeout) : undefined,
    options: q.get('options') ?? undefined,
  };
}

/** `user@host:port/db`, for messages. */
export function describeServer(
  p: Pick<ServerParams, 'user' | 'host' | 'port' | 'database'>,
): string {
  const host = p.host.includes(':') ? `[${p.host}]` : p.host;
  return `${p.user}@${host}:${p.port}/${p.database}`;
}
