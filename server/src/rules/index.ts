/**
 * The registry: every rule, in the order their findings are listed for one statement. A rule's id
 * is its file name, its docs page (docs/rules/<id>.md) and its diagnostic code.
 */
import type { Rule } from '../linter/types';
import { rule as requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { rule as requireConcurrentIndexDeletion } from './require-concurrent-index-deletion';
import { rule as requireConcurrentReindex } from './require-concurrent-reindex';
import { rule as banConcurrentIndexCreationInTransaction } from './ban-concurrent-index-creation-in-transaction';
import { rule as banUncommittedTransaction } from './ban-uncommitted-transaction';
import { rule as transactionNesting } from './transaction-nesting';
import { rule as requireLockTimeout } from './require-lock-timeout';
import { rule as disallowedUniqueConstraint } from './disallowed-unique-constraint';
import { rule as banDropDatabase } from './ban-drop-database';
import { rule as banTruncateCascade } from './ban-truncate-cascade';
import { rule as missingDown } from './missing-down';
import { rule as addingForeignKeyConstraint } from './adding-foreign-key-constraint';
import { rule as constraintMissingNotValid } from './constraint-missing-not-valid';
import { rule as addingNotNullableField } from './adding-not-nullable-field';
import { rule as addingFieldWithDefault } from './adding-field-with-default';
import { rule as addingRequiredField } from './adding-required-field';
import { rule as changingColumnType } from './changing-column-type';
import { rule as renamingColumn } from './renaming-column';
import { rule as renamingTable } from './renaming-table';
import { rule as addingSerialPrimaryKeyField } from './adding-serial-primary-key-field';
import { rule as addingAutoIncrementColumn } from './adding-auto-increment-column';
import { rule as banDropTable } from './ban-drop-table';
import { rule as banDropColumn } from './ban-drop-column';
import { rule as banDropNotNull } from './ban-drop-not-null';
import { rule as syntaxError } from './syntax-error';

export const RULES: readonly Rule[] = [
  syntaxError,
  addingForeignKeyConstraint,
  constraintMissingNotValid,
  addingNotNullableField,
  addingFieldWithDefault,
  addingRequiredField,
  changingColumnType,
  renamingColumn,
  renamingTable,
  addingSerialPrimaryKeyField,
  addingAutoIncrementColumn,
  banDropTable,
  banDropColumn,
  banDropNotNull,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentReindex,
  banConcurrentIndexCreationInTransaction,
  banUncommittedTransaction,
  transactionNesting,
  requireLockTimeout,
  disallowedUniqueConstraint,
  banDropDatabase,
  banTruncateCascade,
  missingDown,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
