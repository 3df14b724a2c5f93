/**
 * Tracing a statement that must run outside a transaction block (CREATE INDEX CONCURRENTLY, DROP
 * INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY, VACUUM). Its locks are
 * released the moment it ends, so they are read from a second session while it runs. A third
 * session, the holder, makes it wait where it can be seen: it holds SHARE UPDATE EXCLUSIVE on the
 * existing tables, which every one of these statements must wait for. Each time the statement
 * waits, its locks (granted and requested) are recorded and the holder lets go, after a second
 * holder has taken ACCESS SHARE on the same tables, so a later phase that takes a stronger lock
 * (DETACH CONCURRENTLY's second transaction) waits and is seen too.
 */
import type pg from 'pg';
import { readLocks, type HeldLock, type RelationMap } from './probe';
import type { Scratch } from './scratch';

export interface OutsideRun {
  error?: unknown;
  /** Every relation lock seen, strongest per relation (waiting ones included). */
  locks: HeldLock[];
  /** Time the statement ran, including the few milliseconds it waited for the holder. */
  durationMs: number;
  /** True when its locks were seen at least once. */
  observed: boolean;
}

const POLL_MS = 2;
/** Longest a holder keeps a statement that never waits on it. */
const HOLD_LIMIT_MS = 3000;
/** Holds after the first: enough for the phases of the CONCURRENTLY operations. */
const MAX_HOLDS = 4;

function quoteKey(schema: string, name: string): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `${q(schema)}.${q(name)}`;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ORDER = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
];

function rankOf(mode: string): number {
  return ORDER.indexOf(mode);
}

class Holder {
  private open = false;
  since = 0;
  pid = 0;
  constructor(private readonly client: pg.Client) {}

  async init(): Promise<void> {
    this.pid = Number((await this.client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  }

  /** Takes `mode` on `tables`. False when it could not get them at once. */
  async hold(tables: string[], mode: string): Promise<boolean> {
    try {
      // never queue behind the traced statement's own request
      await this.client.query(`SET lock_timeout = '100ms'`);
      await this.client.query('BEGIN');
      this.open = true;
      if (tables.length > 0)
        await this.client.query(`LOCK TABLE ${tables.join(', ')} IN ${mode} MODE`);
      this.since = performance.now();
      return true;
    } catch {
      await this.release();
      return false;
    }
  }

  get holding(): boolean {
    return this.open;
  }

  async release(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.client.query('ROLLBACK').catch(() => {});
  }
}

export async function runObserved(
  scratch: Scratch,
  sql: string,
  relations: RelationMap,
): Promise<OutsideRun> {
  const pid = Number((await scratch.client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const sessions = await Promise.all([scratch.session(), scratch.session(), scratch.session()]);
  const [observer, ...holderClients] = sessions;
  const holders = holderClients.map((c) => new Holder(c));
  await Promise.all(holders.map((h) => h.init()));
  let current = 0;
  try {
    const tables = [...relations.values()]
      .filter((r) => r.kind === 'table' || r.kind === 'partitioned table')
      .map((r) => quoteKey(r.schema, r.name));
    // SHARE UPDATE EXCLUSIVE makes every CONCURRENTLY operation and VACUUM wait for its first lock
    await holders[0].hold(tables, 'SHARE UPDATE EXCLUSIVE');
    let holds = 1;

    const seen = new Map<number, HeldLock>();
    let done = false;
    let error: unknown;
    const t0 = performance.now();
    let end = t0;
    const run = scratch.client
      .query(sql)
      .then(
        () => undefined,
        (e: unknown) => {
          error = e;
        },
      )
      .finally(() => {
        done = true;
        end = performance.now();
      });
    while (!done) {
      const [locks, blockers] = await Promise.all([
        readLocks(observer, pid),
        blockingPids(observer, pid),
      ]);
      for (const l of locks) {
        const prev = seen.get(l.oid);
        if (!prev || rankOf(l.mode) > rankOf(prev.mode)) seen.set(l.oid, l);
      }
      const holder = holders[current];
      // only a wait on the current holder counts: a status read just after a release is stale
      const waiting = holder.holding && blockers.includes(holder.pid);
      if (holder.holding && (waiting || performance.now() - holder.since > HOLD_LIMIT_MS)) {
        // the next holder takes its locks before this one lets go, so the statement's next
        // phase (which starts the moment it is let go) finds them held
        const next = 1 - current;
        // (ACCESS SHARE would only queue behind a waiting ACCESS EXCLUSIVE request)
        const wantsAll = locks.some((l) => !l.granted && l.mode === 'AccessExclusiveLock');
        if (waiting && holds < MAX_HOLDS && !wantsAll) {
          holds++;
          if (await holders[next].hold(tables, 'ACCESS SHARE')) current = next;
        }
        await holder.release();
      }
      if (!done) await pause(POLL_MS);
    }
    await run;
    // a statement that finished was granted every lock it waited for
    const locks = [...seen.values()].map((l) => ({
      ...l,
      granted: error === undefined || l.granted,
    }));
    return { error, locks, durationMs: end - t0, observed: seen.size > 0 };
  } finally {
    await Promise.all(holders.map((h) => h.release()));
    await Promise.all(sessions.map((c) => c.end().catch(() => {})));
  }
}

/** Sessions the backend waits for (heavyweight locks, including other transactions' ends). */
async function blockingPids(c: pg.Client, pid: number): Promise<number[]> {
  const r = await c.query<{ b: number[] | null }>('SELECT pg_blocking_pids($1) AS b', [pid]);
  return (r.rows[0]?.b ?? []).map(Number);
}
