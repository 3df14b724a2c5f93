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
import { rule as requireConcurrentPartitionDetach } from './require-concurrent-partition-detach';
import { rule as attachingPartitionWithoutCheck } from './attaching-partition-without-check';
import { rule as preferRepack } from './prefer-repack';
import { rule as requireConcurrentRefreshMatview } from './require-concurrent-refresh-matview';
import { rule as addingExclusionConstraint } from './adding-exclusion-constraint';
import { rule as addingPrimaryKeyOnNullableColumn } from './adding-primary-key-on-nullable-column';
import { rule as runningStatementWhileHoldingAccessExclusive } from './running-statement-while-holding-access-exclusive';
import { rule as avoidWideLockWindow } from './avoid-wide-lock-window';
import { rule as requireSeparateConstraintValidation } from './require-separate-constraint-validation';
import { rule as requireStatementTimeout } from './require-statement-timeout';
import { rule as requireIdleInTransactionTimeout } from './require-idle-in-transaction-timeout';
import { rule as requireBatchedDataChange } from './require-batched-data-change';
import { rule as banAlterEnumAddValueInTransaction } from './ban-alter-enum-add-value-in-transaction';
import { rule as unsafeNewEnumValueUse } from './unsafe-new-enum-value-use';
import { rule as requireEnumValueOrdering } from './require-enum-value-ordering';
import { rule as banConcurrentIndexIfNotExists } from './ban-concurrent-index-if-not-exists';
import { rule as requireIndexForForeignKey } from './require-index-for-foreign-key';
import { rule as banDropSchema } from './ban-drop-schema';
import { rule as banTruncate } from './ban-truncate';
import { rule as banDropForeignKey } from './ban-drop-foreign-key';
import { rule as preferBigintOverInt } from './prefer-bigint-over-int';
import { rule as preferBigintOverSmallint } from './prefer-bigint-over-smallint';
import { rule as preferIdentity } from './prefer-identity';
import { rule as preferTextField } from './prefer-text-field';
import { rule as preferTimestamptz } from './prefer-timestamptz';
import { rule as banCharField } from './ban-char-field';
import { rule as preferJsonb } from './prefer-jsonb';
import { rule as identifierTooLong } from './identifier-too-long';
import { rule as requireTableSchema } from './require-table-schema';
import { rule as banCreateDomainWithConstraint } from './ban-create-domain-with-constraint';
import { rule as banAlterDomainWithAddConstraint } from './ban-alter-domain-with-add-constraint';
import { rule as preferRobustStmts } from './prefer-robust-stmts';
import { rule as downDoesNotReverseUp } from './down-does-not-reverse-up';
import { rule as irreversibleUp } from './irreversible-up';

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
  requireConcurrentPartitionDetach,
  attachingPartitionWithoutCheck,
  preferRepack,
  requireConcurrentRefreshMatview,
  addingExclusionConstraint,
  addingPrimaryKeyOnNullableColumn,
  runningStatementWhileHoldingAccessExclusive,
  avoidWideLockWindow,
  requireSeparateConstraintValidation,
  requireStatementTimeout,
  requireIdleInTransactionTimeout,
  requireBatchedDataChange,
  banAlterEnumAddValueInTransaction,
  unsafeNewEnumValueUse,
  requireEnumValueOrdering,
  banConcurrentIndexIfNotExists,
  requireIndexForForeignKey,
  banDropSchema,
  banTruncate,
  banDropForeignKey,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferTextField,
  preferTimestamptz,
  banCharField,
  preferJsonb,
  identifierTooLong,
  requireTableSchema,
  banCreateDomainWithConstraint,
  banAlterDomainWithAddConstraint,
  preferRobustStmts,
  downDoesNotReverseUp,
  irreversibleUp,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
