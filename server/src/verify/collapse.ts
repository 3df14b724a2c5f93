/**
 * One finding per forgotten table: when a whole table (view, materialized view) is left behind
 * or not restored, its columns, constraints, triggers, policies, indexes and owned sequences are
 * left out of the report; "table audit left behind by DOWN" says it all.
 */
import type { Difference } from './diff';
import type { Snapshot } from './snapshot';

const WHOLE = /^(table|view|materialized view|foreign table) (.+)$/;
const MEMBER = /^(column|constraint|trigger|policy|attribute) (.+)\.[^.]+$/;

/** `public.audit` → `audit` (snapshot keys leave `public` out). */
function bare(q: string): string {
  return q.startsWith('public.') ? q.slice('public.'.length) : q;
}

function ownerOf(d: Difference, snapshot: Snapshot): string | undefined {
  const member = MEMBER.exec(d.object);
  if (member) return member[2];
  const props = snapshot.objects.get(d.object);
  if (d.object.startsWith('index ') && props?.rel) {
    const name = d.object.slice('index '.length);
    const dot = name.lastIndexOf('.');
    return dot < 0 ? props.rel : `${name.slice(0, dot)}.${props.rel}`;
  }
  if (d.object.startsWith('sequence ') && props?.owned_by) {
    const parts = props.owned_by.replace(/"/g, '').split('.');
    return bare(parts.slice(0, -1).join('.'));
  }
  return undefined;
}

/** `expected`/`actual` are the snapshots the differences were computed from. */
export function collapseDifferences(
  diffs: Difference[],
  expected: Snapshot,
  actual: Snapshot,
): Difference[] {
  const gone = new Map<string, Difference['kind']>();
  for (const d of diffs) {
    const whole = WHOLE.exec(d.object);
    if (whole && d.kind !== 'changed') gone.set(whole[2], d.kind);
  }
  if (gone.size === 0) return diffs;
  return diffs.filter((d) => {
    if (d.kind === 'changed') return true;
    // a missing member is described by the first snapshot, a left-behind one by the second
    const owner = ownerOf(d, d.kind === 'missing' ? expected : actual);
    return !(owner !== undefined && gone.get(owner) === d.kind);
  });
}
