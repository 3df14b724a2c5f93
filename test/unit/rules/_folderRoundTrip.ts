/**
 * The folder round trip for a fix that is offered but not preferred (it needs the author's review,
 * so "fix all" leaves it alone): apply the fix `pick` chooses, reload, re-lint — no syntax error,
 * the violation gone, no new error. Returns the violations after the fix.
 */
import { expect } from 'vitest';
import type { Settings } from '../../../server/src/config/settings';
import type { Fix, Violation } from '../../../server/src/linter/types';
import { applyEdits, lintDir } from '../helpers/lint';

export function roundTripFolderWith(
  root: string,
  rule: string,
  pick: (v: Violation) => Fix | undefined,
  over: Partial<Settings> = {},
): Violation[] {
  const before = lintDir(root, over).violations;
  const target = before.find((v) => v.rule === rule && pick(v));
  expect(target, `a fixable ${rule}: ${before.map((v) => v.rule).join(', ')}`).toBeDefined();
  applyEdits(pick(target!)!.edits);
  const after = lintDir(root, over).violations;
  expect(after.filter((v) => v.rule === 'syntax-error')).toEqual([]);
  expect(after.filter((v) => v.rule === rule).length).toBeLessThan(
    before.filter((v) => v.rule === rule).length,
  );
  const newErrors = after.filter(
    (v) => v.severity === 'error' && !before.some((b) => b.rule === v.rule),
  );
  expect(newErrors).toEqual([]);
  return after;
}

/** The first fix that is not an ignore comment. */
export function firstRealFix(v: Violation): Fix | undefined {
  return v.fixes.find((f) => !f.title.startsWith('Disable '));
}
