/**
 * Applies migration sections to a scratch database the way the folder's runner sends them: a
 * transactional section inside BEGIN … COMMIT, a `single-query` section as one query string (one
 * implicit transaction), a non-transactional one statement by statement. Used to bring a scratch
 * database up to the migration being traced or verified; nothing is recorded in any history.
 */
import type pg from 'pg';
import { isNonTransactional } from '../linter/statementFacts';
import type { Migration, Section } from '../folder/model';
import { chunksOf, type Chunk } from '../runner/chunks';

export interface SqlErrorInfo {
  message: string;
  code?: string;
  hint?: string;
  detail?: string;
}

export class ReplayError extends Error {
  constructor(
    readonly migration: string,
    readonly section: Section,
    /** UTF-16 offsets of the failing statement in its file. */
    readonly start: number,
    readonly end: number,
    readonly sql: SqlErrorInfo,
  ) {
    const pos = section.file.index.positionAt(start);
    super(
      `${migration} (${section.kind.toUpperCase()}) failed at ${section.file.path}:${pos.line + 1}:${pos.character + 1}: ${sql.message}`,
    );
  }
}

export function sqlError(e: unknown): SqlErrorInfo {
  const err = (e ?? {}) as { message?: string; code?: string; hint?: string; detail?: string };
  return {
    message: String(err.message ?? e),
    code: err.code,
    hint: err.hint,
    detail: err.detail,
  };
}

/** The effective mode of a section: `auto` and `single-query` resolved for its statements. */
export function effectiveMode(s: Section): 'transaction' | 'none' | 'single-query' {
  const statements = s.parsed.statements;
  switch (s.transaction) {
    case 'auto':
      return statements.some((st) => isNonTransactional(st)) ? 'none' : 'transaction';
    case 'single-query':
      return 'single-query';
    default:
      return s.transaction;
  }
}

/** Runs one section. Throws a ReplayError located at the failing statement. */
export async function applySection(client: pg.Client, m: Migration, s: Section): Promise<void> {
  const chunks = chunksOf(s);
  if (chunks.length === 0) return;
  const mode = effectiveMode(s);
  if (mode === 'single-query') {
    const text = s.file.text.slice(chunks[0].start, chunks[chunks.length - 1].end);
    try {
      await client.query(text);
    } catch (e) {
      const at =
        positioned(chunks, e, chunks[0].start, s.file.text) ??
        (await findFailing(client, chunks)) ??
        chunks[0];
      throw new ReplayError(m.label, s, at.start, at.end, sqlError(e));
    }
    return;
  }
  const wrap = mode === 'transaction';
  if (wrap) await client.query('BEGIN');
  for (const c of chunks) {
    try {
      await client.query(c.text);
    } catch (e) {
      if (wrap) await client.query('ROLLBACK').catch(() => {});
      throw new ReplayError(m.label, s, c.start, c.end, sqlError(e));
    }
  }
  if (wrap) await client.query('COMMIT');
}

/** The chunk a multi-statement query failed in, from the error's 1-based character position. */
function positioned(chunks: Chunk[], e: unknown, base: number, text: string): Chunk | undefined {
  const position = Number((e as { position?: string })?.position);
  if (!Number.isFinite(position) || position <= 0) return undefined;
  // PostgreSQL counts characters (code points) from the start of the query string
  let offset = base;
  for (let n = 1; n < position && offset < text.length; n++)
    offset += text.codePointAt(offset)! > 0xffff ? 2 : 1;
  return chunks.find((c) => offset >= c.start && offset <= c.end);
}

/**
 * The failing statement of a query string that failed without a position: the string ran in one
 * implicit transaction that rolled back, so running its statements one by one in a transaction
 * (rolled back too) meets the same error at the same statement.
 */
async function findFailing(client: pg.Client, chunks: Chunk[]): Promise<Chunk | undefined> {
  if (chunks.length < 2 || chunks.some((c) => c.statement && isNonTransactional(c.statement)))
    return undefined;
  let found: Chunk | undefined;
  await client.query('BEGIN');
  try {
    for (const c of chunks) {
      try {
        await client.query(c.text);
      } catch {
        found = c;
        break;
      }
    }
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
  return found;
}

/** Applies every UP section of a migration, in file order. */
export async function applyUp(client: pg.Client, m: Migration): Promise<void> {
  for (const s of m.sections) if (s.kind === 'up') await applySection(client, m, s);
}

export async function applyDown(client: pg.Client, m: Migration): Promise<void> {
  for (const s of m.sections) if (s.kind === 'down') await applySection(client, m, s);
}
