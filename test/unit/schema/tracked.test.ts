/**
 * The schema model's maps tell the incremental lint what a statement read and wrote: reads of
 * single keys, reads of the whole map (iteration, size, a group), and writes with the value
 * before them. Outside a recording they behave as plain maps.
 */
import { describe, expect, it } from 'vitest';
import {
  DELETED,
  GroupedMap,
  Recorder,
  record,
  TrackedMap,
} from '../../../server/src/schema/tracked';

function recorded<T>(work: () => T): { rec: Recorder; result: T } {
  const rec = new Recorder();
  const outer = record(rec);
  try {
    return { rec, result: work() };
  } finally {
    record(outer);
  }
}

describe('tracked maps', () => {
  it('record the keys read, the whole map when iterated, and writes with the value before', () => {
    const m = new TrackedMap<number>('t');
    m.set('a', 1);
    m.set('b', 2);
    const { rec } = recorded(() => {
      m.get('a');
      m.has('zz');
      m.set('b', 3);
      m.set('c', 4);
      m.delete('a');
    });
    expect(rec.reads.get(m as TrackedMap<unknown>)).toEqual(new Set(['a', 'zz']));
    // the value before the first write of each key in the recording
    expect([...rec.writes.get(m as TrackedMap<unknown>)!]).toEqual([
      ['b', 2],
      ['c', DELETED],
      ['a', 1],
    ]);
    const whole = recorded(() => [...m.values()].length + m.size);
    expect(whole.rec.reads.get(m as TrackedMap<unknown>)).toBe(true);
    expect(whole.result).toBe(4);
  });

  it('record nothing outside a recording, and put and peek never record', () => {
    const m = new TrackedMap<number>('t');
    const outside = new Recorder();
    m.set('a', 1);
    m.get('a');
    expect(outside.reads.size + outside.writes.size).toBe(0);
    const { rec } = recorded(() => {
      m.put('b', 2);
      m.put('a', DELETED);
      return m.peek('b');
    });
    expect(rec.reads.size + rec.writes.size).toBe(0);
    expect([...m.entries()]).toEqual([['b', 2]]);
  });

  it('a grouped map lists a group as the map holds it, through moves between groups', () => {
    const m = new GroupedMap<{ table: string; n: number }>('indexes', (v) => v.table);
    m.set('i1', { table: 't', n: 1 });
    m.set('i2', { table: 'u', n: 2 });
    m.set('i3', { table: 't', n: 3 });
    m.set('i1', { table: 't', n: 10 });
    expect(m.group('t').map(([k, v]) => [k, v.n])).toEqual([
      ['i1', 10],
      ['i3', 3],
    ]);
    m.set('i3', { table: 'u', n: 3 });
    m.delete('i2');
    m.put('i4', { table: 'u', n: 4 });
    m.put('i1', DELETED);
    expect(m.group('t')).toEqual([]);
    expect(m.group('u').map(([k]) => k)).toEqual(['i3', 'i4']);
    // a group is a read of the whole map: a new entry anywhere can join it
    const { rec } = recorded(() => m.group('u'));
    expect(rec.reads.get(m as TrackedMap<unknown>)).toBe(true);
    m.clear();
    expect(m.group('u')).toEqual([]);
  });
});
