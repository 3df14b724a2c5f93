/**
 * Shared checks for the column type style rules: findings of one rule, and the preferred fix
 * applied to a single file with the round trip every fix must pass.
 */
import { expect } from 'vitest';
import { lintText, only, preferred } from '../helpers/lint';
import type { Settings } from '../../../server/src/config/settings';
import type { Violation } from '../../../server/src/linter/types';
import { roundTripText } from './_textRoundTrip';

export function hitsOf(rule: string, over: Partial<Settings> = {}) {
  return (sql: string): Violation[] => only(lintText(sql, over), rule);
}

/** The preferred fix's result, after checking the round trip. */
export function fixed(rule: string, sql: string, over: Partial<Settings> = {}): string {
  return roundTripText(sql, rule, over);
}

/** Whether the first finding offers a preferred fix. */
export function hasPreferredFix(rule: string, sql: string): boolean {
  const [v] = only(lintText(sql), rule);
  expect(v, sql).toBeDefined();
  try {
    preferred(v);
    return true;
  } catch {
    return false;
  }
}
