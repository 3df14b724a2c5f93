/**
 * Which ALTER COLUMN … TYPE changes PostgreSQL makes without rewriting the table: binary-coercible
 * casts whose type modifier only widens (the planner support functions varchar_support,
 * numeric_support, varbit_support, timestamp_support, interval_support). Measured on PostgreSQL 15
 * by comparing relfilenode before and after. Everything else rewrites the table and rebuilds its
 * indexes under ACCESS EXCLUSIVE.
 */
import { sameType, type TypeRef } from '../parser/ast';

const INTERVAL_FULL_RANGE = 32767;
const TEMPORAL = new Set(['time', 'timetz', 'timestamp', 'timestamptz']);

/** Whether changing a column from `from` to `to` keeps the table's data files. */
export function isSafeTypeChange(from: TypeRef, to: TypeRef): boolean {
  if (from.opaqueMods || to.opaqueMods || from.array !== to.array) return false;
  if (sameType(from, to)) return true;
  if (from.array || (from.schema ?? '') !== '' || (to.schema ?? '') !== '') return false;
  const unconstrained = to.mods.length === 0;
  switch (`${from.name}>${to.name}`) {
    case 'varchar>text':
      return true;
    case 'text>varchar':
      return unconstrained;
    case 'varchar>varchar':
    case 'varbit>varbit':
      return unconstrained || (from.mods.length > 0 && to.mods[0] >= from.mods[0]);
    case 'numeric>numeric': {
      if (unconstrained) return true;
      if (from.mods.length === 0) return false;
      const [p1, s1 = 0] = from.mods;
      const [p2, s2 = 0] = to.mods;
      return p2 >= p1 && s2 === s1;
    }
    case 'cidr>inet':
      return true;
    case 'interval>interval': {
      if (unconstrained) return true;
      const [r1 = INTERVAL_FULL_RANGE, p1 = 6] = from.mods;
      const [r2, p2 = 6] = to.mods;
      return (r2 === INTERVAL_FULL_RANGE || r2 === r1) && p2 >= p1;
    }
    default:
      if (TEMPORAL.has(from.name) && from.name === to.name)
        return unconstrained || (from.mods.length > 0 && to.mods[0] >= from.mods[0]);
      return false;
  }
}

/**
 * timestamp ↔ timestamptz without losing precision: PostgreSQL 12+ keeps the data files only when
 * the session TimeZone is UTC, which a linter cannot know.
 */
export function isZoneRelabel(from: TypeRef, to: TypeRef): boolean {
  const pair = `${from.name}>${to.name}`;
  if (pair !== 'timestamp>timestamptz' && pair !== 'timestamptz>timestamp') return false;
  if (from.array || to.array || from.opaqueMods || to.opaqueMods) return false;
  return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0] >= from.mods[0]);
}
