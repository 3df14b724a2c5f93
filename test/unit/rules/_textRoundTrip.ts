/**
 * The single-file round trip for the schema-change rules: apply the preferred fix (or the one
 * `pick` chooses) to the text, re-lint — no syntax error, the violation gone, no new error.
 * Returns the fixed text.
 */
import { expect } from 'vitest';
import type { Settings } from '../../../server/src/config/settings';
import type { Fix, Violation } from '../../../server/src/linter/types';
import { applyToText, lintText, only, preferred } from '../helpers/lint';

export function roundTripText(
  sql: string,
  rule: string,
  over: Partial<Settings> = {},
  pick: (v: Violation) => Fix = preferred,
): string {
  const before = lintText(sql, over);
  const target = only(before, rule)[0];
  expect(target, `${rule} on ${sql}`).toBeDefined();
  const fixed = applyToText(sql, pick(target).edits);
  const after = lintText(fixed, over);
  expect(only(after, 'syntax-error'), fixed).toHaveLength(0);
  expect(only(after, rule).length, fixed).toBeLessThan(only(before, rule).length);
  const newErrors = after.filter(
    (v) => v.severity === 'error' && !before.some((b) => b.rule === v.rule),
  );
  expect(newErrors, fixed).toHaveLength(0);
  return fixed;
}
