/**
 * Putting a column's type back: whether PostgreSQL needs a USING clause (no assignment cast from
 * the current type to the earlier one) and whether going back narrows the type.
 */
import type { TypeRef } from '../parser/ast';

const STRINGS = new Set(['text', 'varchar', 'bpchar', 'name', 'citext']);
const NUMBERS = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);
const TIMES = new Set(['timestamp', 'timestamptz', 'date']);
const WIDTH: Record<string, number> = { int2: 2, int4: 4, int8: 8, float4: 4, float8: 8 };

/** Whether `ALTER COLUMN … TYPE to` from `from` fails without USING. */
export function needsUsing(from: TypeRef, to: TypeRef): boolean {
  if (from.array !== to.array) return true;
  if (from.name === to.name && (from.schema ?? '') === (to.schema ?? '')) return false;
  // every type converts to a string type by assignment (I/O conversion)
  if (STRINGS.has(to.name) && !to.schema) return false;
  if (STRINGS.has(from.name) && STRINGS.has(to.name)) return false;
  if (NUMBERS.has(from.name) && NUMBERS.has(to.name)) return false;
  if (TIMES.has(from.name) && TIMES.has(to.name)) return false;
  if (from.name === 'json' && to.name === 'jsonb') return false;
  return true;
}

/** Whether values of `from` may not fit in `to` (going back loses range or length). */
export function narrows(from: TypeRef, to: TypeRef): boolean {
  if (from.name === to.name) {
    const a = from.mods[0];
    const b = to.mods[0];
    if (b === undefined) return false;
    return a === undefined || a > b || (from.mods[1] ?? 0) > (to.mods[1] ?? 0);
  }
  if (WIDTH[from.name] && WIDTH[to.name]) return WIDTH[from.name] > WIDTH[to.name];
  if (STRINGS.has(to.name)) return to.mods.length > 0;
  return !(from.name === 'int2' || from.name === 'int4') || to.name !== 'numeric';
}
