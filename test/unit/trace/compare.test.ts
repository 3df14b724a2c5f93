/**
 * Measured locks against the static verdict, without a database: which differences count (locks
 * that block more than ACCESS EXCLUSIVE requests, on relations that existed before the section)
 * and which cannot be judged (locks already held from earlier statements, names reused by new
 * relations).
 */
import { describe, expect, it } from 'vitest';
import type { LockMode } from '../../../server/src/linter/statementFacts';
import { disagreements } from '../../../server/src/trace/compare';
import { blockedWork, lockModeOf, modesConflict } from '../../../server/src/trace/lockMatrix';
import type { MeasuredLock } from '../../../server/src/trace/types';

function lock(relation: string, mode: LockMode, over: Partial<MeasuredLock> = {}): MeasuredLock {
  return {
    relation,
    kind: 'table',
    mode,
    granted: true,
    taken: true,
    existing: true,
    blocks: blockedWork(mode),
    ...over,
  };
}

const EXISTING = new Set(['public.users', 'public.orders']);

describe('disagreements', () => {
  it('agrees when the strongest measured lock is the predicted one', () => {
    expect(
      disagreements(
        [{ relation: 'public.users', mode: 'SHARE' }],
        [
          lock('public.users', 'SHARE'),
          lock('public.users_pkey', 'ACCESS SHARE', { kind: 'index' }),
        ],
        EXISTING,
      ),
    ).toEqual([]);
  });

  it('reports a lock the verdict misses and a mode it gets wrong', () => {
    const d = disagreements(
      [{ relation: 'public.orders', mode: 'SHARE' }],
      [lock('public.orders', 'ACCESS EXCLUSIVE'), lock('public.users', 'SHARE ROW EXCLUSIVE')],
      EXISTING,
    );
    expect(d.map((x) => x.message)).toEqual([
      'measured ACCESS EXCLUSIVE on orders where the static verdict says SHARE — it blocks reads and writes',
      'measured SHARE ROW EXCLUSIVE on users, which the static verdict does not predict — it blocks writes (reads continue)',
    ]);
  });

  it('reports a predicted lock that was not taken', () => {
    const [d] = disagreements(
      [{ relation: 'public.users', mode: 'ACCESS EXCLUSIVE' }],
      [lock('public.users', 'ROW EXCLUSIVE')],
      EXISTING,
    );
    expect(d.message).toBe(
      'the static verdict predicts ACCESS EXCLUSIVE on users; measured ROW EXCLUSIVE',
    );
  });

  it('ignores weak locks, new relations and names reused by new relations', () => {
    expect(disagreements([], [lock('public.users', 'ROW EXCLUSIVE')], EXISTING)).toEqual([]);
    // a table created in the section under the name of one renamed away earlier
    expect(
      disagreements(
        [{ relation: 'public.users', mode: 'SHARE' }],
        [lock('public.users', 'ACCESS EXCLUSIVE', { existing: false })],
        new Set(['public.orders']),
      ),
    ).toEqual([]);
  });

  it('cannot judge a relation already locked as strongly by an earlier statement', () => {
    expect(
      disagreements(
        [{ relation: 'public.users', mode: 'SHARE' }],
        [lock('public.users', 'ACCESS EXCLUSIVE', { taken: false })],
        EXISTING,
      ),
    ).toEqual([]);
  });
});

describe('lock matrix', () => {
  it('reads pg_locks mode names and PostgreSQL’s conflict table', () => {
    expect(lockModeOf('ShareUpdateExclusiveLock')).toBe('SHARE UPDATE EXCLUSIVE');
    expect(lockModeOf('AccessExclusiveLock')).toBe('ACCESS EXCLUSIVE');
    expect(lockModeOf('SIReadLock')).toBeUndefined();
    expect(modesConflict('SHARE', 'ROW EXCLUSIVE')).toBe(true);
    expect(modesConflict('SHARE', 'SHARE')).toBe(false);
    expect(modesConflict('SHARE UPDATE EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE')).toBe(true);
    expect(modesConflict('EXCLUSIVE', 'ACCESS SHARE')).toBe(false);
    expect(modesConflict('EXCLUSIVE', 'ROW SHARE')).toBe(true);
    expect(blockedWork('EXCLUSIVE')).toMatchObject({
      reads: false,
      writes: true,
      rowLocks: true,
      ddl: true,
    });
  });
});
