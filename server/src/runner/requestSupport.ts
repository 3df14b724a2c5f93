/**
 * What the runner's and the trace's request handlers share: the database a request names, the
 * password request sent back to the editor, and the kinds of error the editor tells apart.
 */
import type { Connection } from 'vscode-languageserver';
import { ConfigError } from '../config/load';
import { DbError } from '../db/errors';
import type { NamedConnection, PasswordRequest } from '../db/types';
import { ConnectionStringError } from '../db/url';
import { RunnerPasswordRequest, type WireConnection } from '../protocol/runner';

/** A request's connection as resolveConnection takes it (`--db` form). */
export function dbChoice(c: WireConnection | undefined): string | NamedConnection | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'string') return c;
  return 'name' in c ? c : c.url;
}

/** Asks the editor for a password (from its SecretStorage, or the user). */
export function passwordFromEditor(
  connection: Connection,
): (req: PasswordRequest) => Promise<string | undefined> {
  return async (req) => {
    const r = await connection.sendRequest(RunnerPasswordRequest, req);
    return r?.password ?? undefined;
  };
}

/** `data.kind` of an error both handlers report the same way; undefined for the others. */
export function sharedErrorKind(e: unknown): string | undefined {
  if (e instanceof DbError) return e.kind;
  if (e instanceof ConfigError || e instanceof ConnectionStringError) return 'config';
  return undefined;
}
