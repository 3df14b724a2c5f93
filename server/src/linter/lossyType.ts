/**
 * Whether ALTER COLUMN … TYPE can change stored values so that converting back does not restore
 * them: rounding (numeric scale, float, time precision), dropping the time of day or the zone,
 * normalizing (json to jsonb), or reformatting text into another type ('007' becomes 7). A change
 * that rejects values that do not fit (bigint to integer, varchar(100) to varchar(10)) fails
 * instead of losing anything, so converting back after it succeeded restores every value.
 */
import { sameType, type TypeRef } from '../parser/ast';
import { isSafeTypeChange, isZoneRelabel } from './typeChange';

const INTEGERS = ['int2', 'int4', 'int8'];
const TEXTUAL = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const PRECISION_TYPES = new Set(['time', 'timetz', 'timestamp', 'timestamptz', 'interval']);

export function isLossyTypeChange(from: TypeRef, to: TypeRef): boolean {
  if (from.opaqueMods || to.opaqueMods) return false;
  if (sameType(from, to) || isSafeTypeChange(from, to) || isZoneRelabel(from, to)) return false;
  if (from.array !== to.array) return true;
  const f = from.name;
  const t = to.name;
  // any value has a text form that reads back as the same value
  if (TEXTUAL.has(t) && (to.mods.length === 0 || t === 'varchar' || t === 'bpchar'))
    return TEXTUAL.has(f) && t === 'bpchar'; // char(n) pads: trailing spaces are lost
  if (INTEGERS.includes(f) && (INTEGERS.includes(t) || t === 'numeric')) return false;
  if (f === 'float4' && t === 'float8') return false;
  if (INTEGERS.includes(f) && t === 'float8') return f === 'int8';
  if (f === 'numeric' && t === 'numeric') {
    const [, s1 = 0] = from.mods;
    const [, s2 = 0] = to.mods;
    return to.mods.length > 0 && (from.mods.length === 0 || s2 < s1);
  }
  if (f === t && PRECISION_TYPES.has(f)) {
    const p1 = f === 'interval' ? from.mods[1] : from.mods[0];
    const p2 = t === 'interval' ? to.mods[1] : to.mods[0];
    return p2 !== undefined && (p1 === undefined || p2 < p1);
  }
  if (f === 'date' && (t === 'timestamp' || t === 'timestamptz')) return false;
  if (f === 'jsonb' && t === 'json') return false;
  if (f === 'cidr' && t === 'inet') return false;
  return true;
}
