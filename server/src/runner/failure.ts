/**
 * A failed statement as the user needs it: the file and line it came from (PostgreSQL's error
 * position mapped back through the file's text index), PostgreSQL's message, hint and detail, and
 * what kind of failure it is (lock timeout, lost connection, cancel, privileges).
 */
import type { Migration, Section } from '../folder/model';
import { advanceCodePoints } from '../text/positions';
import type { Chunk } from './chunks';
import type { Direction, Failure, FailureKind } from './types';

/** The fields of pg's DatabaseError that matter here. */
export interface PgErrorLike {
  message?: string;
  code?: string;
  position?: string;
  hint?: string;
  detail?: string;
  where?: string;
}

export class RunFailure extends Error {
  constructor(
    readonly failure: Failure,
    /** Statements of the migration that completed and stay committed. */
    readonly committed = 0,
  ) {
    super(failure.message);
  }
}

const CONNECTION_CODES = /^(08|57P0[1-3])/;

export function isLockTimeout(e: unknown): boolean {
  const err = e as PgErrorLike;
  return err?.code === '55P03' || err?.code === '40P01';
}

export function classify(e: unknown, cancelRequested: boolean): FailureKind {
  const err = (e ?? {}) as PgErrorLike;
  const code = err.code ?? '';
  if (code === '55P03') return 'lock-timeout';
  if (code === '57014' && cancelRequested) return 'cancelled';
  if (CONNECTION_CODES.test(code)) return 'connection';
  if (code === '42501') return 'privileges';
  // driver-level errors (socket closed) carry no SQLSTATE
  if (!/^[0-9A-Z]{5}$/.test(code)) return 'connection';
  return 'sql';
}

export function shorten(sql: string, max = 200): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function statementFailure(
  e: unknown,
  m: Migration,
  direction: Direction,
  section: Section,
  chunk: Chunk,
  cancelRequested: boolean,
  redact: (s: string) => string,
): Failure {
  const err = (e ?? {}) as PgErrorLike;
  const { index } = section.file;
  const pos = Number(err.position);
  const at =
    Number.isInteger(pos) && pos > 0
      ? Math.min(advanceCodePoints(index.text, chunk.start, pos - 1), chunk.end)
      : chunk.start;
  const p = index.positionAt(at);
  const kind = classify(e, cancelRequested);
  let message = redact(String(err.message ?? e));
  if (kind === 'cancelled') message = 'cancelled while running this statement';
  return {
    kind,
    message,
    version: m.version,
    name: m.name,
    direction,
    file: section.file.path,
    line: p.line,
    character: p.character,
    range: index.rangeOf(chunk.start, chunk.end),
    code: err.code,
    hint: err.hint && redact(err.hint),
    detail: err.detail && redact(err.detail),
    where: err.where && redact(err.where),
    statement: redact(shorten(chunk.text)),
  };
}

/** A failure outside any statement (BEGIN, COMMIT, the history write, the connection). */
export function runFailure(
  e: unknown,
  m: Migration | undefined,
  direction: Direction | undefined,
  cancelRequested: boolean,
  redact: (s: string) => string,
): Failure {
  const err = (e ?? {}) as PgErrorLike;
  return {
    kind: classify(e, cancelRequested),
    message: redact(String(err.message ?? e)),
    version: m?.version,
    name: m?.name,
    direction,
    file: m?.files[0]?.path,
    code: err.code,
    hint: err.hint && redact(err.hint),
    detail: err.detail && redact(err.detail),
  };
}

/** `file:line:col: message` plus PostgreSQL's hint and detail, for terminals and logs. */
export function formatFailure(f: Failure, display: (path: string) => string = (p) => p): string {
  const where =
    f.file !== undefined
      ? `${display(f.file)}${f.line !== undefined ? `:${f.line + 1}:${(f.character ?? 0) + 1}` : ''}: `
      : '';
  const what = f.version && f.direction ? `migration ${f.version} (${f.direction}): ` : '';
  const lines = [`${where}${what}${f.message}${f.code ? ` [${f.code}]` : ''}`];
  if (f.statement) lines.push(`  statement: ${f.statement}`);
  if (f.detail) lines.push(`  DETAIL: ${f.detail}`);
  if (f.hint) lines.push(`  HINT: ${f.hint}`);
  if (f.where) lines.push(`  CONTEXT: ${f.where}`);
  return lines.join('\n');
}
