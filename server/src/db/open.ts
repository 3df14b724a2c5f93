/**
 * Opens a resolved connection as a `Database`: a factory of `pg` clients (the runner needs a
 * second connection to cancel a statement), the same for real servers and the embedded database.
 * Connection failures become `DbError`s with a clear, password-free message.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { EmbeddedEndpoint } from './embedded';
import { DbError, explainConnectError } from './errors';
import { redact } from './redact';
import type { ConnectionInfo, PasswordProvider, ResolvedConnection, ServerParams } from './types';

export interface OpenOptions {
  /** Asked when a server wants a password that the URL, PGPASSWORD and ~/.pgpass do not give. */
  passwordProvider?: PasswordProvider;
  /** Keep the embedded database open after the run (the editor); the CLI closes it at once. */
  embeddedLingerMs?: number;
  applicationName?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Database {
  info: ConnectionInfo;
  /** Every connection shares one session (PGlite): no advisory locks, no cancelling. */
  singleSession: boolean;
  /** A new client, connected. Its 'error' events are handled; end it with `client.end()`. */
  connect(): Promise<pg.Client>;
  /** Strings that must never appear in output (passwords), for redacting server messages. */
  secrets(): string[];
  close(): Promise<void>;
}

const DEFAULT_CONNECT_TIMEOUT_S = 10;

export function connectionInfo(r: ResolvedConnection): ConnectionInfo {
  return {
    kind: r.kind,
    label: r.label,
    name: r.kind === 'server' ? r.name : undefined,
    source: r.source,
    scratch: r.kind !== 'server',
    protected: r.kind === 'server' && r.protected,
  };
}

export async function openDatabase(
  r: ResolvedConnection,
  options: OpenOptions = {},
): Promise<Database> {
  const info = connectionInfo(r);
  if (r.kind === 'server') return serverDatabase(r, info, options);
  // PGlite is loaded only when the embedded database is used: a run against a server skips it
  const { acquireEmbedded, acquireMemory } = await import('./embedded');
  const ep: EmbeddedEndpoint =
    r.kind === 'memory'
      ? await acquireMemory()
      : await acquireEmbedded(r.dir, { lingerMs: options.embeddedLingerMs });
  const clients = new Set<pg.Client>();
  return {
    info,
    singleSession: true,
    secrets: () => [],
    async connect() {
      const c = new pg.Client({
        host: ep.host,
        port: ep.port,
        user: 'postgres',
        database: 'postgres',
        application_name: options.applicationName ?? 'pgmig',
        connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_S * 1000,
      });
      c.on('error', () => {});
      try {
        await c.connect();
      } catch (e) {
        const by = ep.servedBy === 'this process' ? '' : ` (served by process ${ep.servedBy})`;
        throw new DbError(
          'embedded',
          `cannot connect to the ${r.label}${by}: ${(e as Error).message}`,
        );
      }
      clients.add(c);
      c.once('end', () => clients.delete(c));
      return c;
    },
    async close() {
      await Promise.all([...clients].map((c) => c.end().catch(() => {})));
      await ep.release();
    },
  };
}

function sslConfig(p: ServerParams, tls: boolean): pg.ClientConfig['ssl'] {
  if (!tls) return false;
  const ca = p.sslrootcert ? readFileSync(p.sslrootcert, 'utf8') : undefined;
  switch (p.sslmode) {
    case 'verify-full':
      return { rejectUnauthorized: true, ca };
    case 'verify-ca':
      return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
    default:
      // libpq: require/prefer/allow encrypt without verifying, unless a root CA is given
      return ca
        ? { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined }
        : { rejectUnauthorized: false };
  }
}

function serverDatabase(
  r: Extract<ResolvedConnection, { kind: 'server' }>,
  info: ConnectionInfo,
  options: OpenOptions,
): Database {
  const p = r.params;
  const env = options.env ?? process.env;
  let password = p.password ?? env.PGPASSWORD;
  const secrets = () => [p.password, password].filter((s): s is string => !!s);
  // libpq's `prefer`/`allow` fall back to plain text when the server has no TLS
  let tls = p.sslmode !== 'disable' && p.sslmode !== 'allow';
  const clients = new Set<pg.Client>();

  const attempt = async (): Promise<pg.Client> => {
    let ssl: pg.ClientConfig['ssl'];
    try {
      ssl = sslConfig(p, tls);
    } catch (e) {
      throw new DbError('tls', `cannot read sslrootcert ${p.sslrootcert}: ${(e as Error).message}`);
    }
    const c = new pg.Client({
      host: p.host,
      port: p.port,
      database: p.database,
      user: p.user,
      ssl,
      options: p.options,
      application_name: options.applicationName ?? 'pgmig',
      connectionTimeoutMillis: (p.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000,
      // asked only when the server wants a password
      password:
        password !== undefined
          ? password
          : options.passwordProvider
            ? async () => {
                const got = await options.passwordProvider!({
                  name: r.name,
                  host: p.host,
                  port: p.port,
                  user: p.user,
                  database: p.database,
                });
                if (got === undefined) throw new Error('no password was given');
                password = got;
                return got;
              }
            : undefined,
    });
    c.on('error', () => {});
    await c.connect();
    return c;
  };

  return {
    info,
    singleSession: false,
    secrets,
    async connect() {
      let c: pg.Client;
      try {
        c = await attempt();
      } catch (e) {
        const msg = String((e as Error)?.message ?? e);
        if (
          tls &&
          (p.sslmode === 'prefer' || p.sslmode === 'allow') &&
          /does not support SSL/i.test(msg)
        ) {
          tls = false;
          try {
            c = await attempt();
          } catch (e2) {
            throw explainConnectError(e2, p, r.label, secrets());
          }
        } else {
          const err = explainConnectError(e, p, r.label, secrets());
          // a wrong password must be asked again next time, not replayed
          if (err.kind === 'auth' && !p.password) password = undefined;
          throw err;
        }
      }
      clients.add(c);
      c.once('end', () => clients.delete(c));
      return c;
    },
    async close() {
      await Promise.all([...clients].map((c) => c.end().catch(() => {})));
    },
  };
}

/** Redacts a database's secrets from any text (server messages can echo connection strings). */
export function redactFor(db: Database, text: string): string {
  return redact(text, db.secrets());
}
