/**
 * A trace or verification from the editor: the migration file of the argument (CodeLens, explorer
 * menu) or of the active editor, its unsaved text, progress with Cancel (sent to the server,
 * which stops the scratch database's work), on the embedded in-memory database or, when
 * `pgmig.traceOn` says so, a scratch database on the selected connection.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { UserFacingError } from '../util/commandError';
import { CONFIG_SECTION } from '../constants';
import type { RunnerClient } from './runnerClient';
import type { ConnectionStore } from '../connections/connectionStore';
import { tracePlace, TracePlaceError, type TraceOn, type TracePlace } from './traceConnection';

/** Where a trace or verification runs, after `pgmig.traceOn` and the selected connection. */
export function tracePlaceOf(connections: ConnectionStore): TracePlace {
  const setting = vscode.workspace
    .getConfiguration(CONFIG_SECTION)
    .get<TraceOn>('traceOn', 'embedded');
  try {
    return tracePlace(setting, connections.effective());
  } catch (e) {
    throw e instanceof TracePlaceError ? new UserFacingError(e.message) : e;
  }
}

export interface TraceTarget {
  file: string;
  /** The editor's text when it has unsaved changes. */
  text?: string;
  direction?: 'up' | 'down';
}

export function traceTarget(arg: unknown, action: string): TraceTarget {
  let file: string | undefined;
  let direction: 'up' | 'down' | undefined;
  if (arg instanceof vscode.Uri) file = arg.fsPath;
  else if (arg && typeof (arg as { file?: unknown }).file === 'string') {
    file = (arg as { file: string }).file;
    const d = (arg as { direction?: unknown }).direction;
    if (d === 'up' || d === 'down') direction = d;
  } else if (arg === undefined) {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.uri.scheme === 'file') file = doc.uri.fsPath;
  } else throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
  if (!file)
    throw new UserFacingError(`pgmig: open a migration file to ${action} (or use its CodeLens).`);
  const open = vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme === 'file' && d.uri.fsPath === file,
  );
  return { file, direction, ...(open?.isDirty ? { text: open.getText() } : {}) };
}

/** Runs `send` under a cancellable progress notification; Cancel reaches the server. */
export function withTraceProgress<R>(
  runner: RunnerClient,
  title: string,
  send: (traceId: string) => Promise<R>,
): Thenable<R> {
  const traceId = randomUUID();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pgmig: ${title}`, cancellable: true },
    async (progress, token) => {
      let last = 0;
      const listening = runner.listenTrace(traceId, (p) => {
        const pct = p.total > 0 ? (100 * p.done) / p.total : 0;
        progress.report({
          message: `${p.message} (${p.done}/${p.total})`,
          increment: Math.max(0, pct - last),
        });
        last = Math.max(last, pct);
      });
      const cancelling = token.onCancellationRequested(() => runner.cancelTrace(traceId));
      try {
        return await send(traceId);
      } finally {
        cancelling.dispose();
        listening.dispose();
      }
    },
  );
}
