/**
 * One runner at a time per history. On a real server: a session advisory lock, with the key the
 * folder's own runner uses when it has one (goose, golang-migrate, node-pg-migrate), so pgmig and
 * that tool exclude each other too. PGlite has one session shared by every connection, where
 * advisory locks cannot exclude anyone: there a row in `pgmig_lock` is the lock, and a row whose
 * process is gone is taken over.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { tableExists } from './history/types';
import type { HistoryAdapter, Queryable } from './history';
import { sleep } from './sleep';
import type { RunnerEvent } from './types';

export class LockWaitTimeout extends Error {}

export interface LockOptions {
  singleSession: boolean;
  adapter: HistoryAdapter;
  waitMs: number;
  emit: (e: RunnerEvent) => void;
  signal?: AbortSignal;
}

/** pgmig's own key for runners without one: 63 bits of sha256("pgmig:<table>"). */
function ownKey(table: string): string {
  const h = createHash('sha256').update(`pgmig:${table}`).digest();
  return (h.readBigUInt64BE(0) & 0x7fffffffffffffffn).toString();
}

/** Releases the lock; `other` is a fresh connection when the one that took it was lost. */
export type ReleaseLock = (other?: Queryable) => Promise<void>;

/** Takes the lock; returns its release. */
export async function acquireRunnerLock(c: Queryable, o: LockOptions): Promise<ReleaseLock> {
  return o.singleSession ? tableLock(c, o) : advisoryLock(c, o);
}

async function waitLoop(
  o: LockOptions,
  attempt: () => Promise<boolean>,
  holder: () => Promise<number | undefined>,
): Promise<void> {
  const start = Date.now();
  let delay = 100;
  let lastReport = -Infinity;
  for (;;) {
    if (await attempt()) {
      if (lastReport > -Infinity) o.emit({ type: 'lock-acquired' });
      return;
    }
    const waited = Date.now() - start;
    if (waited - lastReport >= 5000) {
      o.emit({ type: 'lock-wait', holder: await holder(), waitedMs: waited });
      lastReport = waited;
    }
    if (waited >= o.waitMs) {
      const pid = await holder();
      throw new LockWaitTimeout(
        `another migration run${pid ? ` (pid ${pid})` : ''} has held the migration lock for ${Math.round(waited / 1000)} s; try again when it has finished`,
      );
    }
    await sleep(Math.min(delay, o.waitMs - waited), o.signal);
    delay = Math.min(delay * 2, 1000);
  }
}

async function advisoryLock(c: Queryable, o: LockOptions): Promise<ReleaseLock> {
  const key = (await o.adapter.lockKey?.(c)) ?? ownKey(o.adapter.table);
  await waitLoop(
    o,
    async () => {
      const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
        key,
      ]);
      return r.rows[0].ok;
    },
    async () => {
      const r = await c.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
            AND classid = (($1::bigint >> 32) & 4294967295)::oid
            AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1 LIMIT 1`,
        [key],
      );
      return r.rows[0]?.pid;
    },
  );
  // a session lock: it goes with its connection, so only that connection can release it
  return async () => {
    await c.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  };
}

const LOCK_TABLE = 'pgmig_lock';

/** Lock rows this process holds (a row of this pid that is not here was left by a lost run). */
const held = new Set<string>();

function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname()) return true;
  if (Number(pid) === process.pid) return held.has(owner);
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tableLock(c: Queryable, o: LockOptions): Promise<ReleaseLock> {
  const me = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!(await tableExists(c, LOCK_TABLE)))
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (id int PRIMARY KEY, owner text NOT NULL, since timestamptz NOT NULL DEFAULT now())`,
    );
  let holderPid: number | undefined;
  await waitLoop(
    o,
    async () => {
      const r = await c.query(
        `INSERT INTO ${LOCK_TABLE} (id, owner) VALUES (1, $1) ON CONFLICT (id) DO NOTHING RETURNING owner`,
        [me],
      );
      if (r.rowCount) return true;
      const cur = await c.query<{ owner: string }>(`SELECT owner FROM ${LOCK_TABLE} WHERE id = 1`);
      const owner = cur.rows[0]?.owner;
      holderPid = owner ? Number(owner.split(':')[1]) : undefined;
      // the process that held it is gone (crashed): take it over
      if (owner && !ownerAlive(owner))
        await c.query(`DELETE FROM ${LOCK_TABLE} WHERE id = 1 AND owner = $1`, [owner]);
      return false;
    },
    async () => holderPid,
  );
  held.add(me);
  return async (other?: Queryable) => {
    held.delete(me);
    await (other ?? c).query(`DELETE FROM ${LOCK_TABLE} WHERE id = 1 AND owner = $1`, [me]);
  };
}
