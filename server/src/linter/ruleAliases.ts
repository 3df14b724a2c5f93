/**
 * Other spellings of rule ids that configs and ignore comments written for squawk use: squawk
 * reports prefer-timestamptz as `prefer-timestamp-tz` and accepts both.
 */
const ALIASES: Record<string, string> = {
  'prefer-timestamp-tz': 'prefer-timestamptz',
};

export function canonicalRuleId(id: string): string {
  return ALIASES[id] ?? id;
}
