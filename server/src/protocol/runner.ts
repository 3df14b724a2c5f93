/**
 * The runner's requests between the editor and the language server. Shapes are plain JSON
 * (dates as ISO strings, paths absolute, lines 0-based) and shared by both sides; `pgmig status
 * --format json` prints the same `WireStatus`.
 *
 * Client → server requests: status, up, down, redo, new, resolve; `cancel` is a notification.
 * Server → client: `event` notifications during a run (statement durations for the log, retries,
 * lock waits) and the `password` request, which the editor answers from its SecretStorage (or by
 * asking the user); it is only sent when the server asks for a password.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { NamedConnection, SslMode } from '../db/types';
import type { Failure, MigrationState } from '../runner/types';

export type { SslMode };

/** A named connection from the editor's settings (never a password). */
export type WireNamedConnection = NamedConnection;

/**
 * Which database: a named connection, a URL, `embedded` (the workspace's `.pgmig/` scratch
 * database), `memory`, or absent for the default (DATABASE_URL, the workspace `.env`, then embedded).
 */
export type WireConnection = WireNamedConnection | 'embedded' | 'memory' | { url: string };

export interface RunnerTarget {
  /** A migration folder, or a file in it (absolute path). */
  folder: string;
  connection?: WireConnection;
  /** Identifies the run for `cancel` and `event` notifications. */
  runId?: string;
  /** Overrides of the runner settings for this run. */
  lockTimeoutMs?: number;
  lockRetries?: number;
}

export type WireState = MigrationState;

export interface WirePosition {
  line: number;
  character: number;
}

/** Why a run stopped, placed at the statement that failed (plain JSON already). */
export type WireFailure = Failure;

export interface WireEntry {
  state: WireState;
  version: string;
  name: string;
  /** Absent when the file is missing. */
  file?: string;
  /** 0-based line of the UP section (CodeLens and "open file"). */
  line?: number;
  hasDown: boolean;
  appliedAt?: string;
  durationMs?: number;
  failure?: WireFailure;
  outOfOrder?: boolean;
}

export interface WireConnectionInfo {
  kind: 'server' | 'embedded' | 'memory';
  label: string;
  name?: string;
  source: string;
  /** Embedded and in-memory databases: label them as scratch in the UI. */
  scratch: boolean;
  protected: boolean;
}

export interface WireStatus {
  connection: WireConnectionInfo;
  serverVersion: string;
  folder: { root: string; format: string; detectedBy: string };
  history: { runner: string; table: string; writable: boolean; exists: boolean };
  sideTable: boolean;
  entries: WireEntry[];
  others: Array<{ runner: string; table: string; rows: number }>;
  blocked?: WireFailure;
  /** Count of pending entries, for "N pending". */
  pending: number;
}

export interface WirePlanned {
  version: string;
  name: string;
  direction: 'up' | 'down';
  file?: string;
  transactional: boolean;
  /** The SQL it will run (a confirmation dialog shows the DROPs of a DOWN). */
  statements: string[];
}

export interface WireRunResult {
  ok: boolean;
  done: Array<{ version: string; name: string; direction: 'up' | 'down'; durationMs: number }>;
  failure?: WireFailure;
  planned?: WirePlanned[];
  status?: WireStatus;
}

export type WireEvent =
  | { type: 'connected'; connection: string; serverVersion: string; scratch: boolean }
  | { type: 'lock-wait'; holder?: number; waitedMs: number }
  | { type: 'lock-acquired' }
  | {
      type: 'migration-start';
      version: string;
      name: string;
      direction: 'up' | 'down';
      file?: string;
      transaction: boolean;
    }
  | { type: 'statement-start'; version: string; file: string; line: number; text: string }
  | {
      type: 'statement-end';
      version: string;
      file: string;
      line: number;
      text: string;
      durationMs: number;
    }
  | { type: 'retry'; version: string; attempt: number; delayMs: number; reason: string }
  | { type: 'notice'; severity: string; message: string }
  | {
      type: 'migration-end';
      version: string;
      name: string;
      direction: 'up' | 'down';
      durationMs: number;
    }
  | { type: 'migration-failed'; failure: WireFailure };

export type StatusParams = RunnerTarget;

export interface UpParams extends RunnerTarget {
  /** Apply pending migrations up to and including this version. */
  to?: string;
  /** Apply pending migrations up to and including the migration of this file. */
  file?: string;
  dryRun?: boolean;
}

export interface DownParams extends RunnerTarget {
  /** Roll back the last `count` applied migrations (default 1). */
  count?: number;
  /** Roll back everything applied after this version ('0': everything). */
  to?: string;
  /** Roll back the migration of this file (and those applied after it). */
  file?: string;
  dryRun?: boolean;
  /** Required on protected connections: the connection's name. */
  confirm?: string;
}

export interface RedoParams extends RunnerTarget {
  dryRun?: boolean;
  confirm?: string;
}

export interface NewParams {
  folder: string;
  name: string;
  /** false: the format's no-transaction switch (goose NO TRANSACTION, …). Default true. */
  transactional?: boolean;
}

export interface NewResult {
  /** Created files (absolute), the UP file first. */
  files: string[];
  version: string;
}

export interface ResolveParams extends RunnerTarget {
  version: string;
  /** retry: run it again; applied / not-applied: record the state after fixing by hand. */
  action: 'retry' | 'applied' | 'not-applied';
}

export interface CancelParams {
  runId: string;
}

export interface EventParams {
  runId?: string;
  event: WireEvent;
}

export interface PasswordParams {
  /** The named connection, when there is one. */
  name?: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface PasswordResult {
  /** Absent or null: the user gave none (the run fails with a clear message). */
  password?: string | null;
}

/**
 * Weigh the editor's findings by the real tables of the target's connection (rows, size: see
 * linter/weighBySize.ts); a target without a server connection (embedded, memory) or `null`
 * stops weighing.
 */
export interface WeighParams {
  target: RunnerTarget | null;
}

export interface WeighResult {
  /** The server the sizes come from; absent when weighing stopped. */
  label?: string;
  tables: number;
}

export const RunnerStatusRequest = new RequestType<StatusParams, WireStatus, void>(
  'pgmig/runner/status',
);
export const RunnerUpRequest = new RequestType<UpParams, WireRunResult, void>('pgmig/runner/up');
export const RunnerDownRequest = new RequestType<DownParams, WireRunResult, void>(
  'pgmig/runner/down',
);
export const RunnerRedoRequest = new RequestType<RedoParams, WireRunResult, void>(
  'pgmig/runner/redo',
);
export const RunnerNewRequest = new RequestType<NewParams, NewResult, void>('pgmig/runner/new');
export const RunnerResolveRequest = new RequestType<ResolveParams, WireRunResult, void>(
  'pgmig/runner/resolve',
);
export const RunnerWeighRequest = new RequestType<WeighParams, WeighResult, void>(
  'pgmig/runner/weighBySize',
);
export const RunnerCancelNotification = new NotificationType<CancelParams>('pgmig/runner/cancel');
export const RunnerEventNotification = new NotificationType<EventParams>('pgmig/runner/event');
export const RunnerPasswordRequest = new RequestType<PasswordParams, PasswordResult, void>(
  'pgmig/runner/password',
);
