/**
 * The migration runner: status, up, down, redo and resolving a failed migration, for one folder
 * on one database. Each run opens its own session, takes the runner lock, and reports every
 * statement with its duration through `onEvent`. Cancelling (the AbortSignal) stops between
 * statements and, on a real server, cancels the running statement with pg_cancel_backend.
 */
import type pg from 'pg';
import type { Database } from '../db/open';
import { redact } from '../db/redact';
import type { MigrationFolder } from '../folder/model';
import { prefixHash } from './checksum';
import { runMigration, type Session } from './execute';
import { plannedSteps, type PlannedMigration } from './planned';
import { runFailure, RunFailure } from './failure';
import { HistoryConflict } from './history/conflict';
import { historyFor, otherHistories, type HistoryAdapter } from './history';
import { acquireRunnerLock, LockWaitTimeout, type ReleaseLock } from './lock';
import {
  blockingFailure,
  planDown,
  PlanError,
  planUp,
  type DownTarget,
  type UpTarget,
} from './plan';
import { ensureSideTable, readSide } from './sideTable';
import { markResolved } from './markResolved';
import { computeStatus, type StatusEntry } from './status';
import { checkBeforeRun } from '../trace/live';
import {
  DEFAULT_RUNNER_SETTINGS,
  type Direction,
  type Failure,
  type RunnerEvent,
  type RunnerSettings,
} from './types';
import type { ConnectionInfo } from '../db/types';

export interface RunnerOptions {
  folder: MigrationFolder;
  db: Database;
  settings?: Partial<RunnerSettings>;
  onEvent?: (e: RunnerEvent) => void;
  signal?: AbortSignal;
}

export interface StatusReport {
  connection: ConnectionInfo;
  serverVersion: string;
  folder: { root: string; format: string; detectedBy: string };
  history: { runner: string; table: string; writable: boolean; exists: boolean };
  sideTable: boolean;
  entries: StatusEntry[];
  /** Histories of other runners found in the same database. */
  others: Array<{ runner: string; table: string; rows: number }>;
  /** Why runs are blocked (a failed migration). */
  blocked?: Failure;
}

export type { PlannedMigration } from './planned';

export interface RunResult {
  ok: boolean;
  done: Array<{ version: string; name: string; direction: Direction; durationMs: number }>;
  failure?: Failure;
  /** What would run (dry runs, and a DOWN that needs confirmation). */
  planned?: PlannedMigration[];
  status?: StatusReport;
}

export type ResolveAction = 'retry' | 'applied' | 'not-applied';

export class Runner {
  readonly settings: RunnerSettings;
  readonly adapter: HistoryAdapter;

  constructor(private readonly o: RunnerOptions) {
    this.settings = { ...DEFAULT_RUNNER_SETTINGS, ...o.settings };
    this.adapter = historyFor(o.folder.format);
  }

  private emit = (e: RunnerEvent) => this.o.onEvent?.(e);

  /**
   * A migration's lock queues behind any open transaction holding a conflicting lock, and every
   * query on the table then queues behind the migration: say so before running. The embedded
   * database has one session, so nothing else can hold a lock there.
   */
  private async warnAboutOpenTransactions(
    s: Session,
    steps: Array<{ m: NonNullable<StatusEntry['migration']>; direction: Direction }>,
  ): Promise<void> {
    if (this.o.db.singleSession) return;
    const statements = steps.flatMap((x) =>
      x.m.sections
        .filter((sec) => sec.kind === x.direction)
        .flatMap((sec) => sec.parsed.statements),
    );
    try {
      for (const message of await checkBeforeRun(s.client, statements))
        this.emit({ type: 'notice', severity: 'WARNING', message });
    } catch {
      // advisory only: a role that cannot read pg_stat_activity still runs its migrations
    }
  }
  private redact = (s: string) => redact(s, this.o.db.secrets());

  /** Opens a session: connected, notices forwarded, cancel wired. */
  private async session<T>(body: (s: Session) => Promise<T>): Promise<T> {
    const client = await this.o.db.connect();
    const s: Session = {
      client,
      db: this.o.db,
      pgMajor: 0,
      settings: this.settings,
      adapter: this.adapter,
      migrations: this.o.folder.migrations,
      emit: this.emit,
      signal: this.o.signal,
      redact: this.redact,
      running: false,
      cancelRequested: false,
    };
    const onNotice = (n: { severity?: string; message?: string }) =>
      this.emit({
        type: 'notice',
        severity: n.severity ?? 'NOTICE',
        message: this.redact(n.message ?? ''),
      });
    client.on('notice', onNotice);
    const onAbort = () => void this.cancelRunning(s, client);
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const v = await client.query<{ v: string; n: string }>(
        "SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n",
      );
      s.pgMajor = Math.floor(Number(v.rows[0].n) / 10000);
      this.serverVersion = v.rows[0].v;
      return await body(s);
    } finally {
      this.o.signal?.removeEventListener('abort', onAbort);
      client.off('notice', onNotice);
      await client.end().catch(() => {});
    }
  }

  private serverVersion = '';

  private async cancelRunning(s: Session, client: pg.Client): Promise<void> {
    s.cancelRequested = true;
    // PGlite has one backend; it stops between statements
    if (!s.running || this.o.db.singleSession) return;
    const pid = (client as unknown as { processID?: number }).processID;
    if (!pid) return;
    let c: pg.Client | undefined;
    try {
      c = await this.o.db.connect();
      await c.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // the run ends anyway at the next statement
    } finally {
      await c?.end().catch(() => {});
    }
  }

  private async report(s: Session, withOthers = true): Promise<StatusReport> {
    const { folder } = this.o;
    const exists = await this.adapter.exists(s.client);
    const rows = exists ? await this.adapter.read(s.client, folder.migrations) : [];
    const side = this.settings.sideTable ? await readSide(s.client, this.adapter.table) : new Map();
    const entries = computeStatus(folder, this.adapter, rows, side);
    return {
      connection: this.o.db.info,
      serverVersion: this.serverVersion,
      folder: { root: folder.root, format: folder.format, detectedBy: folder.detectedBy },
      history: {
        runner: this.adapter.runner,
        table: this.adapter.table,
        writable: this.adapter.writable,
        exists,
      },
      sideTable: this.settings.sideTable,
      entries,
      others: withOthers ? await otherHistories(s.client, this.adapter) : [],
      blocked: blockingFailure(entries),
    };
  }

  async status(): Promise<StatusReport> {
    return this.session((s) => this.report(s));
  }

  /**
   * Takes the lock, reads the status, plans, and runs each planned migration, stopping at the
   * first failure. The status after the run is part of the result.
   */
  private async run(
    plan: (
      entries: StatusEntry[],
      s: Session,
    ) => Array<{
      m: NonNullable<StatusEntry['migration']>;
      direction: Direction;
      resumeFrom?: number;
    }>,
    options: { dryRun?: boolean; confirmFor?: Direction; confirm?: string } = {},
  ): Promise<RunResult> {
    const result: RunResult = { ok: false, done: [] };
    try {
      await this.session(async (s) => {
        this.emit({
          type: 'connected',
          connection: this.o.db.info.label,
          serverVersion: this.serverVersion,
          scratch: this.o.db.info.scratch,
        });
        if (!this.adapter.writable)
          throw new PlanError({
            kind: 'read-only',
            message: `pgmig reads ${this.adapter.runner}'s history (${this.adapter.table}) but does not write it: run ${this.adapter.runner} itself to apply or roll back, so its own bookkeeping stays right`,
          });
        const release: ReleaseLock = options.dryRun ? async () => {} : await this.lock(s);
        try {
          const before = await this.report(s, false);
          const steps = plan(before.entries, s);
          const byDirection = (d: Direction) =>
            steps.filter((x) => x.direction === d).map((x) => ({ m: x.m }));
          const planned = [
            ...plannedSteps(byDirection('down'), 'down', s.pgMajor),
            ...plannedSteps(byDirection('up'), 'up', s.pgMajor),
          ];
          if (options.dryRun) {
            result.planned = planned;
            result.ok = true;
            result.status = before;
            return;
          }
          const info = this.o.db.info;
          if (
            options.confirmFor &&
            info.protected &&
            steps.some((x) => x.direction === options.confirmFor) &&
            options.confirm !== info.name
          ) {
            result.planned = planned;
            throw new PlanError({
              kind: 'confirmation-required',
              message: `${info.label} is a protected connection: rolling back there needs a confirmation naming it (confirm: "${info.name}")`,
            });
          }
          if (steps.length) {
            await this.adapter.ensure!(s.client);
            if (this.settings.sideTable) await ensureSideTable(s.client);
            await this.warnAboutOpenTransactions(s, steps);
          }
          for (const step of steps) {
            if (this.o.signal?.aborted) {
              s.cancelRequested = true;
              throw new RunFailure({
                kind: 'cancelled',
                message: 'cancelled before the next migration',
                version: step.m.version,
                name: step.m.name,
                direction: step.direction,
              });
            }
            const ms = await runMigration(s, step.m, step.direction, step.resumeFrom ?? 0);
            result.done.push({
              version: step.m.version,
              name: step.m.name,
              direction: step.direction,
              durationMs: ms,
            });
            this.emit({
              type: 'migration-end',
              version: step.m.version,
              name: step.m.name,
              direction: step.direction,
              durationMs: ms,
            });
          }
          result.ok = true;
        } finally {
          await this.release(release);
        }
      });
    } catch (e) {
      result.failure = this.toFailure(e);
      this.emit({ type: 'migration-failed', failure: result.failure });
    }
    if (!options.dryRun) result.status = await this.status().catch(() => undefined);
    return result;
  }

  /** Releases the runner lock, through a fresh connection when the session was lost. */
  private async release(release: ReleaseLock): Promise<void> {
    try {
      await release();
    } catch {
      const c = await this.o.db.connect().catch(() => undefined);
      if (!c) return;
      await release(c).catch(() => {});
      await c.end().catch(() => {});
    }
  }

  private toFailure(e: unknown): Failure {
    if (e instanceof RunFailure || e instanceof PlanError) return e.failure;
    if (e instanceof HistoryConflict) return { kind: 'plan', message: e.message };
    if (e instanceof LockWaitTimeout) return { kind: 'lock-timeout', message: e.message };
    const kind = (e as { kind?: string }).kind;
    if (kind) return { kind: 'connection', message: (e as Error).message };
    return runFailure(e, undefined, undefined, false, this.redact);
  }

  async up(target: UpTarget & { dryRun?: boolean } = {}): Promise<RunResult> {
    return this.run(
      (entries) => planUp(entries, target).map((m) => ({ m, direction: 'up' as const })),
      { dryRun: target.dryRun },
    );
  }

  async down(target: DownTarget & { dryRun?: boolean; confirm?: string } = {}): Promise<RunResult> {
    return this.run(
      (entries) =>
        planDown(entries, target).map((e) => ({ m: e.migration!, direction: 'down' as const })),
      { dryRun: target.dryRun, confirmFor: 'down', confirm: target.confirm },
    );
  }

  /** Rolls back the last applied migration and applies it again. */
  async redo(options: { dryRun?: boolean; confirm?: string } = {}): Promise<RunResult> {
    return this.run(
      (entries) => {
        const [last] = planDown(entries, { count: 1 });
        return [
          { m: last.migration!, direction: 'down' as const },
          { m: last.migration!, direction: 'up' as const },
        ];
      },
      { dryRun: options.dryRun, confirmFor: 'down', confirm: options.confirm },
    );
  }

  /**
   * Resolves a failed migration: `retry` runs it again (skipping the statements that completed,
   * when their text is unchanged), `applied` records it as done after the database was fixed by
   * hand, `not-applied` records it as not run.
   */
  async resolve(version: string, action: ResolveAction): Promise<RunResult> {
    if (action === 'retry')
      return this.run((entries) => {
        const e = this.failedEntry(entries, version);
        const direction = e.failedDirection ?? 'up';
        return [{ m: e.migration!, direction, resumeFrom: this.resumePoint(e) }];
      });
    const result: RunResult = { ok: false, done: [] };
    try {
      await this.session(async (s) => {
        const release = await this.lock(s);
        try {
          if (!this.adapter.writable)
            throw new PlanError({
              kind: 'read-only',
              message: `pgmig does not write ${this.adapter.runner}'s history (${this.adapter.table})`,
            });
          const e = this.failedEntry((await this.report(s)).entries, version);
          await markResolved(
            s.client,
            this.adapter,
            this.settings.sideTable,
            e,
            action,
            s.migrations,
          );
          result.ok = true;
        } finally {
          await this.release(release);
        }
      });
    } catch (e) {
      result.failure = this.toFailure(e);
    }
    result.status = await this.status().catch(() => undefined);
    return result;
  }

  private failedEntry(entries: readonly StatusEntry[], version: string): StatusEntry {
    const e = entries.find(
      (x) => x.state === 'failed' && (x.version === version || x.key === version),
    );
    if (!e?.migration)
      throw new PlanError({
        kind: 'plan',
        message: `migration ${version} is not in the failed state${
          entries.some((x) => x.state === 'failed')
            ? ` (failed: ${entries
                .filter((x) => x.state === 'failed')
                .map((x) => x.version)
                .join(', ')})`
            : ''
        }`,
      });
    return e;
  }

  /** The runner's lock on the database, held until the returned function is called. */
  private lock(s: Session): Promise<ReleaseLock> {
    return acquireRunnerLock(s.client, {
      singleSession: this.o.db.singleSession,
      adapter: this.adapter,
      waitMs: this.settings.runnerLockWaitMs,
      emit: this.emit,
      signal: this.o.signal,
    });
  }

  /** Statements already done in the failed run, if the file still has them unchanged. */
  private resumePoint(e: StatusEntry): number {
    if (!e.resume || !e.migration) return 0;
    const direction = e.failedDirection ?? 'up';
    return prefixHash(e.migration, direction, e.resume.done) === e.resume.hash ? e.resume.done : 0;
  }
}
