/**
 * SQL as the editor shows it in one line (logs, progress, confirmations): comments dropped,
 * whitespace collapsed, secrets masked (CREATE ROLE … PASSWORD '…', connection strings).
 * No vscode import: unit tests run this in plain Node.
 */
import type { WirePlanned } from '../../../server/src/protocol/runner';
import { redact } from '../../../server/src/db/redact';

const SQL_PASSWORD = /\b(PASSWORD\s+)('(?:[^']|'')*'|\$\$[\s\S]*?\$\$)/gi;

/** A statement on one line for the log: comments dropped, secrets masked, shortened. */
export function statementLine(sql: string, max = 120): string {
  const text = redact(sql.replace(SQL_PASSWORD, "$1'***'"))
    .split(/\r?\n/)
    .filter((l) => !l.trim().startsWith('--'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** DROP TABLE, ALTER TABLE … DROP COLUMN, DROP INDEX …: what loses data or structure. */
const DROP = /\bDROP\b/i;

/** The destructive statements of the DOWN sections a run plans, prefixed with their version. */
export function dropStatements(planned: WirePlanned[]): string[] {
  return planned
    .filter((p) => p.direction === 'down')
    .flatMap((p) =>
      p.statements
        .map((s) => statementLine(s, 200))
        .filter((s) => DROP.test(s))
        .map((s) => `${p.version}: ${s}`),
    );
}
