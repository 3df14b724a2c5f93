/**
 * Collects the history writes that end a migration so they travel with its COMMIT in one round
 * trip (a remote database costs a round trip per query). Values are inlined as literals the way
 * PostgreSQL's own quoting does; only pgmig's own statements with `$n` placeholders pass here.
 */
import type { Queryable } from './history';

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  // E'' when backslashes occur, so standard_conforming_strings does not matter
  const body = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

export class Batch implements Queryable {
  private readonly parts: string[] = [];

  async query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values: unknown[] = [],
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    this.parts.push(text.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1])));
    return { rows: [], rowCount: null };
  }

  /** The collected statements followed by `tail`, as one query string. */
  text(tail: string): string {
    return [...this.parts, tail].join(';\n');
  }
}
