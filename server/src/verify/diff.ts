/**
 * What differs between two schema snapshots, said the way a reviewer wants to read it:
 * "index orders_user_idx left behind", "column users.email type character varying(255) restored
 * as text", "table audit not restored".
 */
import type { Properties, Snapshot } from './snapshot';

export interface Difference {
  /** The object, e.g. `column users.email`. */
  object: string;
  /** `missing` (in the first, not the second), `extra` (left behind), `changed`. */
  kind: 'missing' | 'extra' | 'changed';
  /** For `changed`: the property and its two values. */
  property?: string;
  before?: string | null;
  after?: string | null;
  message: string;
}

const LONG = 80;

function show(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return 'none';
  return v.length > LONG ? `${v.slice(0, LONG - 1)}…` : v;
}

/** Differences from `expected` (the schema to get back to) to `actual`. */
export function diffSnapshots(expected: Snapshot, actual: Snapshot): Difference[] {
  const out: Difference[] = [];
  for (const [object, p] of expected.objects) {
    const q = actual.objects.get(object);
    if (!q) {
      out.push({ object, kind: 'missing', message: `${object} not restored` });
      continue;
    }
    out.push(...changes(object, p, q));
  }
  for (const object of actual.objects.keys())
    if (!expected.objects.has(object))
      out.push({ object, kind: 'extra', message: `${object} left behind` });
  return out;
}

function changes(object: string, p: Properties, q: Properties): Difference[] {
  const out: Difference[] = [];
  for (const property of new Set([...Object.keys(p), ...Object.keys(q)])) {
    const before = p[property] ?? null;
    const after = q[property] ?? null;
    if (before === after) continue;
    const long = (before?.length ?? 0) > LONG || (after?.length ?? 0) > LONG;
    out.push({
      object,
      kind: 'changed',
      property,
      before,
      after,
      message: long
        ? `${object} ${property} differs`
        : `${object} ${property} ${show(before)} restored as ${show(after)}`,
    });
  }
  return out;
}
