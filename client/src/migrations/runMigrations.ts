/**
 * One run (up, down, redo, resolve) from any command: trust check, progress with Cancel (sent to
 * the runner, which cancels the running statement with pg_cancel_backend), every event to the
 * migrations log, the protected-connection confirmation, the failure as a diagnostic and a
 * message, and the view refreshed from the status the run returns.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  RunnerDownRequest,
  RunnerRedoRequest,
  RunnerResolveRequest,
  RunnerUpRequest,
  type DownParams,
  type RedoParams,
  type ResolveParams,
  type UpParams,
  type WireRunResult,
} from '../../../server/src/protocol/runner';
import type { ConnectionChoice, ConnectionStore } from '../connections/connectionStore';
import type { PasswordStore } from '../connections/passwords';
import { CommandAbortError } from '../util/commandError';
import { confirmProtectedDown } from './confirmDown';
import type { FailureDiagnostics } from './failureDiagnostics';
import type { RunLog } from './runLog';
import { describeFailure } from './runLog';
import { statementLine } from './sqlText';
import type { RunnerClient } from './runnerClient';
import type { MigrationStatusModel } from './statusModel';
import { formatDuration } from './treeNodes';
import { requireTrust } from './trust';

export interface RunDeps {
  connections: ConnectionStore;
  runner: RunnerClient;
  model: MigrationStatusModel;
  log: RunLog;
  diagnostics: FailureDiagnostics;
  passwords: PasswordStore;
}

type Omitted = 'folder' | 'connection' | 'runId';

export type RunSpec =
  | { kind: 'up'; params: Omit<UpParams, Omitted> }
  | { kind: 'down'; params: Omit<DownParams, Omitted> }
  | { kind: 'redo'; params: Omit<RedoParams, Omitted> }
  | { kind: 'resolve'; params: Omit<ResolveParams, Omitted> };

export interface RunRequest {
  conn: ConnectionChoice;
  root: string;
  /** For the progress, the log and messages: "Run Up: 20240101 create_users". */
  title: string;
  spec: RunSpec;
}

const SHOW_LOG = 'Show Log';
const OPEN_FILE = 'Open File';

/** Runs it; a failure is reported here (message, diagnostic, log) and returned, not thrown. */
export async function runMigrations(deps: RunDeps, req: RunRequest): Promise<WireRunResult> {
  requireTrust(req.title);
  // running on the default (embedded) database makes it this workspace's connection, so the
  // view shows what the run did
  if (!deps.connections.selected()) await deps.connections.select(req.conn.id);
  deps.passwords.allowPrompts();
  deps.diagnostics.runStarted(req.root);
  deps.log.begin(`${req.title} on ${req.conn.label}`);
  let result: WireRunResult;
  try {
    result = await withProgress(deps, req);
    if (result.failure?.kind === 'confirmation-required' && result.planned) {
      if (!(await confirmProtectedDown(req.conn, result.planned))) {
        deps.log.channel.info('not confirmed: nothing was run');
        throw new CommandAbortError('not confirmed');
      }
      deps.log.channel.info(`confirmed for the protected connection "${req.conn.label}"`);
      result = await withProgress(deps, req, req.conn.named?.name);
    }
  } catch (e) {
    // the status may have changed before the error (a lost connection mid-run)
    deps.model.invalidate(req.conn);
    if (!(e instanceof CommandAbortError))
      deps.log.channel.error(`${req.title}: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  if (result.status) deps.model.set(req.conn, req.root, result.status);
  else deps.model.invalidate(req.conn);
  report(deps, req, result);
  return result;
}

async function withProgress(
  deps: RunDeps,
  req: RunRequest,
  confirm?: string,
): Promise<WireRunResult> {
  const runId = randomUUID();
  return await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `pgmig: ${req.title} on ${req.conn.label}`,
      cancellable: true,
    },
    async (progress, token) => {
      const listening = deps.runner.listen(runId, (event) => {
        deps.log.event(event);
        if (event.type === 'migration-start')
          progress.report({ message: `${event.direction} ${event.version} ${event.name}` });
        else if (event.type === 'statement-start')
          progress.report({ message: statementLine(event.text, 80) });
        else if (event.type === 'lock-wait')
          progress.report({ message: 'waiting for another runner to finish' });
      });
      const cancelling = token.onCancellationRequested(() => {
        deps.log.channel.warn('cancel requested: the runner stops the running statement');
        deps.runner.cancel(runId);
      });
      try {
        return await deps.model.during(req.conn, () => send(deps, req, runId, confirm));
      } finally {
        cancelling.dispose();
        listening.dispose();
      }
    },
  );
}

function send(
  deps: RunDeps,
  req: RunRequest,
  runId: string,
  confirm: string | undefined,
): Promise<WireRunResult> {
  const base = { folder: req.root, connection: req.conn.wire, runId };
  const { spec } = req;
  switch (spec.kind) {
    case 'up':
      return deps.runner.request(RunnerUpRequest, { ...base, ...spec.params });
    case 'down':
      return deps.runner.request(RunnerDownRequest, { ...base, ...spec.params, confirm });
    case 'redo':
      return deps.runner.request(RunnerRedoRequest, { ...base, ...spec.params, confirm });
    case 'resolve':
      return deps.runner.request(RunnerResolveRequest, { ...base, ...spec.params });
  }
}

function report(deps: RunDeps, req: RunRequest, result: WireRunResult): void {
  const where = req.conn.label;
  const failure = result.failure;
  if (!failure) {
    const total = result.done.reduce((ms, d) => ms + d.durationMs, 0);
    const what = result.done.length
      ? result.done.map((d) => `${d.direction} ${d.version} ${d.name}`).join(', ')
      : 'nothing to do';
    deps.log.channel.info(
      `done: ${what}${result.done.length ? ` in ${formatDuration(total)}` : ''}`,
    );
    void vscode.window.showInformationMessage(
      result.done.length
        ? `pgmig: ${result.done.length === 1 ? what : `${result.done.length} migrations`} on ${where} (${formatDuration(total)})`
        : `pgmig: ${req.title}: nothing to do on ${where}`,
    );
    return;
  }
  if (failure.kind === 'cancelled') {
    void vscode.window.showInformationMessage(`pgmig: ${req.title} cancelled: ${failure.message}`);
    return;
  }
  if (failure.file) deps.diagnostics.runFailed(req.root, failure);
  const done = result.done.length ? ` (${result.done.length} done before it)` : '';
  const buttons = failure.file ? [OPEN_FILE, SHOW_LOG] : [SHOW_LOG];
  void vscode.window
    .showErrorMessage(`pgmig: ${req.title} failed${done}: ${describeFailure(failure)}`, ...buttons)
    .then(async (choice) => {
      if (choice === SHOW_LOG) deps.log.channel.show(true);
      if (choice === OPEN_FILE && failure.file) {
        const line = failure.range?.start.line ?? failure.line ?? 0;
        await vscode.window.showTextDocument(vscode.Uri.file(failure.file), {
          selection: new vscode.Range(line, 0, line, 0),
        });
      }
    });
}
