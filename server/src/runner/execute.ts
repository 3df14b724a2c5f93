/**
 * Runs one migration in one direction. A migration whose sections all run in a transaction runs
 * in ONE transaction together with its history write, so a failure or a lost connection leaves
 * nothing behind. Otherwise (goose NO TRANSACTION, dbmate transaction:false, a lone CONCURRENTLY
 * statement in golang-migrate, …) statements run one by one; a failure there leaves the migration
 * half applied, so it is recorded as failed (golang-migrate: dirty) and blocks further runs.
 * A lock timeout is retried with backoff: the whole transaction, or the one statement.
 */
import type pg from 'pg';
import type { Database } from '../db/open';
import { downSections, upSections, type Migration, type Section } from '../folder/model';
import { isNonTransactional } from '../linter/statementFacts';
import { Batch } from './batch';
import { describeBlockers } from './blockers';
import { contentHash, prefixHash } from './checksum';
import { chunksOf, type Chunk } from './chunks';
import { isLockTimeout, runFailure, RunFailure, shorten, statementFailure } from './failure';
import type { HistoryAdapter } from './history';
import { ensureSideTable, forget, recordApplied, recordFailed } from './sideTable';
import { backoff, sleep } from './sleep';
import type { Direction, Failure, RunnerEvent, RunnerSettings } from './types';

export interface Session {
  client: pg.Client;
  db: Database;
  pgMajor: number;
  settings: RunnerSettings;
  adapter: HistoryAdapter;
  /** The folder's migrations in runner order (golang-migrate's previous version). */
  migrations: readonly Migration[];
  emit(e: RunnerEvent): void;
  signal?: AbortSignal;
  redact(s: string): string;
  /** Set while a statement runs, so a cancel knows whether to signal the backend. */
  running: boolean;
  cancelRequested: boolean;
}

interface Part {
  section: Section;
  chunk: Chunk;
}

interface Segment {
  transactional: boolean;
  parts: Part[];
}

function sectionTransactional(s: Section, pgMajor: number): boolean {
  const chunks = chunksOf(s);
  const nonTx = chunks.some((c) => c.statement && isNonTransactional(c.statement, pgMajor));
  switch (s.transaction) {
    case 'transaction':
      return true;
    case 'none':
      return false;
    case 'single-query':
      // one query string: several statements share an implicit transaction, a lone one has none
      return !(chunks.length === 1 && nonTx);
    case 'auto':
      return !nonTx;
  }
}

export function segmentsOf(m: Migration, direction: Direction, pgMajor: number): Segment[] {
  const sections = direction === 'up' ? upSections(m) : downSections(m);
  return sections.map((section) => ({
    transactional: sectionTransactional(section, pgMajor),
    parts: chunksOf(section).map((chunk) => ({ section, chunk })),
  }));
}

/** Whether the migration runs as one transaction with its history write. */
export function runsInOneTransaction(m: Migration, direction: Direction, pgMajor: number): boolean {
  return segmentsOf(m, direction, pgMajor).every((s) => s.transactional);
}

async function execPart(s: Session, m: Migration, p: Part): Promise<void> {
  if (s.signal?.aborted) {
    s.cancelRequested = true;
    throw Object.assign(new Error('cancelled'), { code: '57014' });
  }
  const ref = {
    version: m.version,
    file: p.section.file.path,
    line: p.section.file.index.positionAt(p.chunk.start).line,
    text: s.redact(shorten(p.chunk.text, 120)),
  };
  s.emit({ type: 'statement-start', ...ref });
  const t0 = performance.now();
  s.running = true;
  try {
    await s.client.query(p.chunk.text);
  } finally {
    s.running = false;
  }
  s.emit({ type: 'statement-end', ...ref, durationMs: performance.now() - t0 });
}

async function rollback(s: Session): Promise<void> {
  try {
    await s.client.query('ROLLBACK');
  } catch {
    // the connection is gone: the server rolled back already
  }
}

/** Runs `body`, retrying it after a lock timeout (with backoff) as the settings allow. */
async function withLockRetries(
  s: Session,
  m: Migration,
  what: string,
  body: () => Promise<void>,
  onError: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await body();
    } catch (e) {
      await onError();
      if (!isLockTimeout(e) || attempt > s.settings.lockRetries || s.signal?.aborted) throw e;
      const delayMs = backoff(s.settings.retryBackoffMs, attempt);
      s.emit({
        type: 'retry',
        version: m.version,
        attempt,
        delayMs,
        reason: `${what}: ${s.redact((e as Error).message)}`,
      });
      await sleep(delayMs, s.signal);
    }
  }
}

/** The history writes of a finished migration and COMMIT, in one round trip. */
async function commitWithHistory(
  s: Session,
  m: Migration,
  direction: Direction,
  ms: number,
): Promise<void> {
  const key = s.adapter.keyOf(m);
  const b = new Batch();
  if (direction === 'up') {
    await s.adapter.recordUp!(b, m, s.migrations);
    if (s.settings.sideTable)
      await recordApplied(
        b,
        { historyTable: s.adapter.table, key, version: m.version, name: m.name },
        contentHash(m),
        ms,
      );
  } else {
    await s.adapter.recordDown!(b, m, s.migrations);
    // the side table exists: the run created it before the first migration
    if (s.settings.sideTable) await forget(b, s.adapter.table, key, true);
  }
  await s.client.query(b.text('COMMIT'));
}

/** Records a half-applied migration as failed, on a fresh connection if the session died. */
async function recordPartial(
  s: Session,
  m: Migration,
  direction: Direction,
  failure: Failure,
  committed: number,
): Promise<string> {
  if (!s.settings.sideTable)
    return s.adapter.markDirty
      ? ''
      : " (pgmig's side table is off, so this state is not recorded in the database)";
  const id = {
    historyTable: s.adapter.table,
    key: s.adapter.keyOf(m),
    version: m.version,
    name: m.name,
  };
  const write = async (c: pg.Client) => {
    await ensureSideTable(c);
    await recordFailed(c, id, direction, failure, committed, prefixHash(m, direction, committed));
  };
  try {
    await write(s.client);
  } catch {
    let c: pg.Client | undefined;
    try {
      c = await s.db.connect();
      await write(c);
    } catch (e) {
      return ` (recording the failed state failed too: ${s.redact((e as Error).message)})`;
    } finally {
      await c?.end().catch(() => {});
    }
  }
  return '';
}

/** After a lock timeout: which sessions held the locks, as the failure's detail. */
async function withBlockers(s: Session, f: Failure, p: Part | undefined): Promise<Failure> {
  if (f.kind !== 'lock-timeout') return f;
  f.message = `${f.message} (tried ${s.settings.lockRetries + 1} times; lock_timeout ${s.settings.lockTimeoutMs} ms)`;
  const who = await describeBlockers(s.client, p?.chunk.statement);
  if (who) f.detail = f.detail ? `${f.detail}; ${who}` : who;
  return f;
}

/**
 * Runs `m` in `direction`; returns its duration. `resumeFrom` skips statements that completed in
 * an earlier, failed run (retry after a failure outside a transaction).
 */
export async function runMigration(
  s: Session,
  m: Migration,
  direction: Direction,
  resumeFrom = 0,
): Promise<number> {
  const segments = segmentsOf(m, direction, s.pgMajor);
  const oneTx = segments.every((g) => g.transactional) && resumeFrom === 0;
  s.emit({
    type: 'migration-start',
    version: m.version,
    name: m.name,
    direction,
    file: m.files[0]?.path,
    transaction: oneTx,
  });
  const t0 = performance.now();
  // a migration may change lock_timeout for its session; each one starts from the setting
  const setTimeout = `SET lock_timeout = ${Math.max(0, Math.round(s.settings.lockTimeoutMs))}`;
  let current: Part | undefined;
  const fail = (e: unknown): Failure =>
    current
      ? statementFailure(
          e,
          m,
          direction,
          current.section,
          current.chunk,
          s.cancelRequested,
          s.redact,
        )
      : runFailure(e, m, direction, s.cancelRequested, s.redact);

  if (oneTx) {
    try {
      await withLockRetries(
        s,
        m,
        `migration ${m.version}`,
        async () => {
          current = undefined;
          await s.client.query(`${setTimeout}; BEGIN`);
          for (const g of segments)
            for (const p of g.parts) {
              current = p;
              await execPart(s, m, p);
            }
          current = undefined;
          await commitWithHistory(s, m, direction, performance.now() - t0);
        },
        () => rollback(s),
      );
    } catch (e) {
      throw new RunFailure(await withBlockers(s, fail(e), current), 0);
    }
    return performance.now() - t0;
  }

  // statement by statement: mark the run first where the runner does (golang-migrate dirty)
  let done = 0;
  let partial = resumeFrom > 0;
  try {
    await s.client.query(setTimeout);
    if (s.adapter.markDirty && resumeFrom === 0)
      await s.adapter.markDirty(s.client, m, direction, s.migrations);
    for (const g of segments) {
      if (done + g.parts.length <= resumeFrom) {
        done += g.parts.length;
        continue;
      }
      if (g.transactional) {
        await withLockRetries(
          s,
          m,
          `migration ${m.version}`,
          async () => {
            await s.client.query('BEGIN');
            for (const p of g.parts) {
              current = p;
              await execPart(s, m, p);
            }
            current = undefined;
            await s.client.query('COMMIT');
          },
          () => rollback(s),
        );
        done += g.parts.length;
        partial = true;
        continue;
      }
      for (const p of g.parts) {
        if (done < resumeFrom) {
          done++;
          continue;
        }
        current = p;
        partial = true;
        await withLockRetries(
          s,
          m,
          `statement at line ${p.section.file.index.positionAt(p.chunk.start).line + 1}`,
          () => execPart(s, m, p),
          async () => {},
        );
        done++;
      }
    }
    current = undefined;
    await withLockRetries(
      s,
      m,
      'history write',
      async () => {
        await s.client.query('BEGIN');
        await commitWithHistory(s, m, direction, performance.now() - t0);
      },
      () => rollback(s),
    );
  } catch (e) {
    const failure = await withBlockers(s, fail(e), current);
    if (!partial) {
      // nothing ran: undo the dirty mark so the history says what the database holds
      try {
        await s.adapter.clearDirty?.(s.client, m, s.migrations);
      } catch {
        // the connection is gone; the dirty flag stays and says so
      }
      throw new RunFailure(failure, 0);
    }
    failure.message +=
      done > 0
        ? `. ${done} statement(s) before it stay applied: the migration is marked failed`
        : '. The migration is marked failed: a statement that runs outside a transaction can leave work behind (an INVALID index)';
    failure.message += await recordPartial(s, m, direction, failure, done);
    throw new RunFailure(failure, done);
  }
  return performance.now() - t0;
}
