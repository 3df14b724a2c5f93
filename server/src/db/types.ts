/**
 * Connections as pgmig sees them: named connections from settings (never with a password), what a
 * `--db` value or DATABASE_URL resolves to, and the callback that supplies a password when a server
 * asks for one (the CLI reads PGPASSWORD/.pgpass; the editor asks its SecretStorage).
 */

/** libpq's sslmode values; `prefer` (libpq's default) tries TLS and falls back to plain. */
export const SSL_MODES = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** A connection kept in settings: a URL or its parts, never a password. */
export interface NamedConnection {
  name: string;
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  /** A production database: DOWN there needs an explicit confirmation naming the connection. */
  protected?: boolean;
}

/** Everything needed to reach a real server. `password` only when a URL carried one. */
export interface ServerParams {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: SslMode;
  sslrootcert?: string;
  /** Seconds to wait for the connection (libpq's connect_timeout). */
  connectTimeout?: number;
  /** libpq `options` (e.g. `-c search_path=app`). */
  options?: string;
}

export type ConnectionSource = '--db' | 'DATABASE_URL' | '.env' | 'named' | 'default';

export type ResolvedConnection =
  | {
      kind: 'server';
      source: ConnectionSource;
      /** The named connection, when one was chosen. */
      name?: string;
      params: ServerParams;
      protected: boolean;
      /** For messages: `user@host:port/db` (never a password). */
      label: string;
    }
  | {
      /** PGlite persisted under `<dir>`: a scratch database, not a real server. */
      kind: 'embedded';
      source: ConnectionSource;
      dir: string;
      label: string;
    }
  | { kind: 'memory'; source: ConnectionSource; label: string };

/** What a password prompt needs to say which password it wants. */
export interface PasswordRequest {
  /** The named connection, if any. */
  name?: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

/** Returns the password, or undefined when there is none (the user cancelled). */
export type PasswordProvider = (req: PasswordRequest) => Promise<string | undefined>;

/** What clients and messages may know about a connection. */
export interface ConnectionInfo {
  kind: ResolvedConnection['kind'];
  label: string;
  name?: string;
  source: ConnectionSource;
  /** True for the embedded and in-memory databases: data there is throwaway. */
  scratch: boolean;
  protected: boolean;
}
