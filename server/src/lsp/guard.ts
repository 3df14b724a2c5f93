/**
 * One error wrapper for every handler: a throw (a bug, a file deleted mid-request, malformed
 * params) is logged with its stack to the connection's console and answered as a JSON-RPC error
 * (requests) or dropped (notifications). The server keeps running.
 */
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

export interface Log {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
}

/** Params a handler cannot work with; answered as InvalidParams. */
export class BadParams extends Error {}

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

export function guardRequest<P, R>(
  log: Log,
  name: string,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (e) {
      if (e instanceof BadParams) {
        log.warn(`${name}: ${e.message}`);
        return new ResponseError(ErrorCodes.InvalidParams, `pgmig: ${name}: ${e.message}`);
      }
      log.error(`${name} failed: ${describeError(e)}`);
      return new ResponseError(
        ErrorCodes.InternalError,
        `pgmig: ${name} failed: ${e instanceof Error ? e.message : String(e)} (see the server log)`,
      );
    }
  };
}

export function guardNotification<P>(
  log: Log,
  name: string,
  handler: (params: P) => void | Promise<void>,
): (params: P) => void {
  return (params) => {
    try {
      const r = handler(params);
      if (r instanceof Promise)
        r.catch((e: unknown) => log.error(`${name} failed: ${describeError(e)}`));
    } catch (e) {
      log.error(`${name} failed: ${describeError(e)}`);
    }
  };
}

/** Runs a callback from a timer or an event, logging instead of throwing. */
export function guarded(log: Log, name: string, body: () => void | Promise<void>): void {
  guardNotification<void>(log, name, body)(undefined);
}
