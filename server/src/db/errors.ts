/**
 * Turns driver and server errors met while connecting into messages a user can act on: wrong
 * password, unreachable host, TLS problems, missing database, missing privileges. Every message
 * goes through `redact`, so no password reaches a message or a log.
 */
import { redact } from './redact';
import type { ServerParams } from './types';
import { describeServer } from './url';

export type DbErrorKind =
  | 'auth'
  | 'no-password'
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'missing-database'
  | 'privileges'
  | 'embedded'
  | 'config'
  | 'other';

export class DbError extends Error {
  constructor(
    readonly kind: DbErrorKind,
    message: string,
    /** SQLSTATE or Node error code, when there is one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

interface ErrorLike {
  message?: string;
  code?: string;
  hint?: string;
}

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function explainConnectError(
  e: unknown,
  p: ServerParams,
  label: string,
  secrets: readonly (string | undefined)[],
): DbError {
  const err = (e ?? {}) as ErrorLike;
  const raw = String(err.message ?? e);
  const where = `${p.host}:${p.port}`;
  const make = (kind: DbErrorKind, msg: string) =>
    new DbError(kind, redact(msg, [...secrets, p.password]), err.code);
  const code = err.code ?? '';
  if (code === '28P01')
    return make(
      'auth',
      `password authentication failed for user "${p.user}" on ${where} (${label}): check the password`,
    );
  if (/client password must be a string|password must be a string|no password/i.test(raw))
    return make(
      'no-password',
      `the server ${where} asks for a password for user "${p.user}" but none was given: ` +
        'put it in PGPASSWORD or ~/.pgpass (CLI), or store it when the editor asks',
    );
  if (code === '28000') {
    if (/no encryption/i.test(raw))
      return make(
        'tls',
        `${where} rejected an unencrypted connection (${raw}): use sslmode=require or verify-full`,
      );
    return make('auth', `${where} rejected the connection for user "${p.user}": ${raw}`);
  }
  if (code === '3D000')
    return make(
      'missing-database',
      `database "${p.database}" does not exist on ${where}: create it (createdb ${p.database}) or fix the connection (${label})`,
    );
  if (code === '42501')
    return make(
      'privileges',
      `user "${p.user}" lacks a privilege on ${describeServer(p)}: ${raw}` +
        (err.hint ? ` (${err.hint})` : ''),
    );
  if (code === 'ECONNREFUSED')
    return make(
      'unreachable',
      `cannot connect to ${where}: connection refused (is PostgreSQL running and listening there?)`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return make('unreachable', `cannot connect: host "${p.host}" not found`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return make('unreachable', `cannot connect to ${where}: host unreachable`);
  if (code === 'ETIMEDOUT' || /timeout/i.test(raw))
    return make(
      'timeout',
      `timed out connecting to ${where} (firewall, wrong host or port, or the server is overloaded)`,
    );
  if (/does not support SSL/i.test(raw))
    return make(
      'tls',
      `${where} does not support TLS but sslmode=${p.sslmode} requires it: use sslmode=prefer or disable`,
    );
  if (CERT_CODES.has(code) || /certificate|self[- ]signed|SSL|TLS/i.test(raw))
    return make(
      'tls',
      `TLS with ${where} failed: ${raw}` +
        (CERT_CODES.has(code)
          ? ` (sslmode=${p.sslmode} verifies the certificate: give the CA with sslrootcert=<file>, or use sslmode=require to encrypt without verifying)`
          : ''),
    );
  if (code === 'ECONNRESET' || /terminated unexpectedly|Connection terminated/i.test(raw))
    return make(
      'unreachable',
      `the connection to ${where} was closed during the handshake: ${raw}`,
    );
  return make('other', `cannot connect to ${describeServer(p)}: ${raw}`);
}
