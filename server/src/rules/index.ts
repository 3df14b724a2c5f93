/**
 * The registry: every rule, in the order their findings are listed for one statement. A rule's id
 * is its file name, its docs page (docs/rules/<id>.md) and its diagnostic code.
 */
import type { Rule } from '../linter/types';
import { rule as requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { rule as syntaxError } from './syntax-error';

export const RULES: readonly Rule[] = [syntaxError, requireConcurrentIndexCreation];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
