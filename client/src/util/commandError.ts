/**
 * The one error boundary every pgmig command runs through: failures are logged with their stack
 * and reported in one clear message with a way to the logs, never as an unhandled rejection.
 */
import * as vscode from 'vscode';
import type { Logs } from '../logger';
import { redact } from '../../../server/src/db/redact';

/** Thrown when the user cancels a prompt or confirmation: reported as information, not an error. */
export class CommandAbortError extends Error {}

/** A failure whose message already says what to do; shown without "failed:" noise. */
export class UserFacingError extends Error {}

const SHOW_LOGS = 'Show Logs';

export function wrapCommand<A extends unknown[], R>(
  logs: Logs,
  title: string,
  fn: (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof CommandAbortError) {
        logs.client.info(`${title}: cancelled${err.message ? ` (${err.message})` : ''}`);
        return undefined;
      }
      logs.error(title, err);
      const reason = redact(err instanceof Error ? err.message : String(err));
      const text = err instanceof UserFacingError ? reason : `pgmig: ${title} failed: ${reason}`;
      void vscode.window.showErrorMessage(text, SHOW_LOGS).then((choice) => {
        if (choice === SHOW_LOGS) logs.client.show(true);
      });
      return undefined;
    }
  };
}
