/**
 * Who held the lock a statement gave up on: sessions holding locks on the tables the statement
 * locks, for the message after a lock timeout ("blocked by pid 123, idle in transaction: …").
 */
import { tableLocks } from '../linter/statementFacts';
import type { Statement } from '../parser/parse';
import type { Queryable } from './history';
import { shorten } from './failure';

export async function describeBlockers(
  c: Queryable,
  stmt: Statement | undefined,
): Promise<string | undefined> {
  if (!stmt) return undefined;
  let tables: string[];
  try {
    tables = [...new Set(tableLocks(stmt).map((l) => l.table))];
  } catch {
    return undefined;
  }
  if (tables.length === 0) return undefined;
  try {
    const r = await c.query<{
      pid: number;
      mode: string;
      state: string | null;
      query: string | null;
      rel: string;
    }>(
      `SELECT l.pid, l.mode, a.state, a.query, l.relation::regclass::text AS rel
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.granted AND l.pid <> pg_backend_pid()
          AND l.relation IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)
        ORDER BY l.pid`,
      [tables],
    );
    if (r.rows.length === 0) return undefined;
    const seen = new Set<number>();
    const parts: string[] = [];
    for (const x of r.rows) {
      if (seen.has(x.pid)) continue;
      seen.add(x.pid);
      parts.push(
        `pid ${x.pid} holds ${x.mode} on ${x.rel}${x.state ? ` (${x.state}` : ''}${x.query ? `: ${shorten(x.query, 80)}` : ''}${x.state ? ')' : ''}`,
      );
    }
    return `blocked by ${parts.join('; ')}`;
  } catch {
    return undefined;
  }
}
