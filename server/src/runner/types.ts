/**
 * The runner's vocabulary: migration states, failures located in the file, the events a run
 * reports (statement durations for logs, retries, lock waits), and run settings.
 */

export type MigrationState =
  'applied' | 'pending' | 'failed' | 'changed-since-applied' | 'missing-file';

export type Direction = 'up' | 'down';

export type FailureKind =
  | 'sql'
  | 'lock-timeout'
  | 'connection'
  | 'cancelled'
  | 'privileges'
  | 'blocked'
  | 'plan'
  /** DOWN on a protected connection without the confirmation naming it. */
  | 'confirmation-required'
  /** The folder's runner keeps a history pgmig only reads. */
  | 'read-only';

/** Why a run stopped, placed at the statement that failed. Lines and characters are 0-based. */
export interface Failure {
  kind: FailureKind;
  message: string;
  version?: string;
  name?: string;
  direction?: Direction;
  file?: string;
  line?: number;
  character?: number;
  /** The failing statement's range in the file. */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** SQLSTATE. */
  code?: string;
  hint?: string;
  detail?: string;
  /** PostgreSQL's context line (PL/pgSQL frames). */
  where?: string;
  /** The statement, shortened for display. */
  statement?: string;
}

export interface StatementRef {
  version: string;
  file: string;
  /** 0-based line of the statement's first token. */
  line: number;
  /** The statement's first line, for logs. */
  text: string;
}

export type RunnerEvent =
  | { type: 'connected'; connection: string; serverVersion: string; scratch: boolean }
  | { type: 'lock-wait'; holder?: number; waitedMs: number }
  | { type: 'lock-acquired' }
  | {
      type: 'migration-start';
      version: string;
      name: string;
      direction: Direction;
      file?: string;
      transaction: boolean;
    }
  | ({ type: 'statement-start' } & StatementRef)
  | ({ type: 'statement-end'; durationMs: number } & StatementRef)
  | { type: 'retry'; version: string; attempt: number; delayMs: number; reason: string }
  | { type: 'notice'; severity: string; message: string }
  | {
      type: 'migration-end';
      version: string;
      name: string;
      direction: Direction;
      durationMs: number;
    }
  | { type: 'migration-failed'; failure: Failure };

export interface RunnerSettings {
  /** Session lock_timeout in ms (0: none). */
  lockTimeoutMs: number;
  /** How many times a migration that hit the lock timeout is tried again. */
  lockRetries: number;
  /** First backoff delay; doubles each retry (with jitter), up to 30 s. */
  retryBackoffMs: number;
  /** How long to wait for another runner's lock before giving up. */
  runnerLockWaitMs: number;
  /**
   * Keep pgmig's side table (content hashes, durations, failed state) next to the runner's
   * history. Off: nothing but the runner's own table is written.
   */
  sideTable: boolean;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  lockTimeoutMs: 5000,
  lockRetries: 3,
  retryBackoffMs: 500,
  runnerLockWaitMs: 10 * 60_000,
  sideTable: true,
};
