/**
 * What changes with the PostgreSQL version for a statement: when a lock got weaker, when a
 * rewrite stopped, when a safe variant appeared. Shown in the language server's hover, judged for
 * the configured `pgVersion`.
 */
import type { Ast, Statement } from '../parser/parse';
import { columnConstraints, typeRef } from '../parser/ast';

function alterCommands(s: Statement): Ast[] {
  return s.kind === 'AlterTableStmt'
    ? (s.ast.cmds ?? []).map((c: Ast) => c.AlterTableCmd).filter(Boolean)
    : [];
}

export function versionNotes(s: Statement, pgVersion: number): string[] {
  const notes: string[] = [];
  const a = s.ast;
  switch (s.kind) {
    case 'IndexStmt':
      if (a.concurrent && pgVersion === 14)
        notes.push(
          'PostgreSQL 14.0–14.3 could corrupt indexes built CONCURRENTLY: run 14.4 or later.',
        );
      break;
    case 'ReindexStmt':
      if (pgVersion < 12) notes.push('REINDEX … CONCURRENTLY needs PostgreSQL 12 or later.');
      break;
    case 'AlterEnumStmt':
      if (a.newVal && !a.oldVal)
        notes.push(
          pgVersion < 12
            ? 'Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block.'
            : 'Since PostgreSQL 12, ADD VALUE runs in a transaction, but the new value cannot be used until that transaction commits.',
        );
      break;
    case 'RefreshMatViewStmt':
      if (a.concurrent)
        notes.push(
          'REFRESH … CONCURRENTLY needs a unique index on the view and still takes an EXCLUSIVE lock.',
        );
      break;
    default:
      break;
  }
  for (const cmd of alterCommands(s)) {
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef;
        if (def && columnConstraints(def).some((c: Ast) => c.contype === 'CONSTR_DEFAULT'))
          notes.push(
            pgVersion < 11
              ? 'Before PostgreSQL 11, ADD COLUMN with any DEFAULT rewrites the table.'
              : 'Since PostgreSQL 11, a non-volatile DEFAULT is stored in the catalog (no rewrite); a volatile one (random(), gen_random_uuid(), clock_timestamp()) still rewrites.',
          );
        break;
      }
      case 'AT_SetNotNull':
        notes.push(
          pgVersion < 12
            ? 'Before PostgreSQL 12, SET NOT NULL always scans the table.'
            : 'Since PostgreSQL 12, SET NOT NULL skips the scan when a validated CHECK (col IS NOT NULL) exists.',
        );
        if (pgVersion >= 18)
          notes.push('PostgreSQL 18 can add NOT NULL as NOT VALID and VALIDATE it separately.');
        break;
      case 'AT_AttachPartition':
        notes.push(
          pgVersion < 12
            ? 'Before PostgreSQL 12, ATTACH PARTITION takes ACCESS EXCLUSIVE on the parent.'
            : 'Since PostgreSQL 12, ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the parent; a matching validated CHECK on the partition skips its scan.',
        );
        break;
      case 'AT_DetachPartition':
        if (cmd.def?.PartitionCmd?.concurrent && pgVersion < 14)
          notes.push('DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14 or later.');
        break;
      case 'AT_AlterColumnType':
        if (pgVersion >= 12 && typeRef(cmd.def?.ColumnDef?.typeName).name === 'timestamptz')
          notes.push(
            'Since PostgreSQL 12, timestamp → timestamptz skips the rewrite when the session TimeZone is UTC.',
          );
        break;
      default:
        break;
    }
  }
  return notes;
}
