/**
 * Which runners can run a new migration outside a transaction block: those with a switch (goose,
 * dbmate, plain, Flyway, diesel, popx) and those that send a one-statement file as one query
 * (golang-migrate, Prisma). node-pg-migrate and drizzle always wrap SQL migrations in one.
 */
import type { FormatId, Section } from '../folder/model';

const OUTSIDE: ReadonlySet<FormatId> = new Set<FormatId>([
  'goose',
  'dbmate',
  'plain',
  'flyway',
  'diesel',
  'popx',
  'golang-migrate',
  'prisma',
]);

export function followUpRunsOutsideTransaction(format: FormatId): boolean {
  return OUTSIDE.has(format);
}

// Runners whose non-transactional sections still go to the server as one query string (dbmate
// transaction:false, diesel run_in_transaction = false, popx .autocommit.): PostgreSQL runs a
// multi-statement string in an implicit transaction block (dbmate issues #126, #182, #285).
const ONE_STRING: ReadonlySet<FormatId> = new Set<FormatId>(['dbmate', 'diesel', 'popx']);

/**
 * Whether the runner sends a section's statements to the server one at a time, so that a
 * statement a fix adds next to a CONCURRENTLY one (or a COMMIT inside DO) stays outside any
 * transaction block when the section runs without a transaction.
 */
export function sendsStatementsSeparately(format: FormatId, section: Section): boolean {
  if (section.transaction === 'single-query') return false;
  return !ONE_STRING.has(format);
}
