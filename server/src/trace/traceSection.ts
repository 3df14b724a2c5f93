/**
 * Traces one migration section on a scratch database, statement by statement, the way its runner
 * runs it: a transactional section in one transaction rolled back at the end; a section the
 * runner runs statement by statement with each statement in a transaction of its own (committed on
 * the scratch database, as the runner would); statements that cannot run in a transaction block
 * outside one. After each statement the backend's own locks, the relations whose storage changed
 * and this transaction's scan counters are read.
 */
import type pg from 'pg';
import type { Migration, Section } from '../folder/model';
import { isNonTransactional } from '../linter/statementFacts';
import type { Statement } from '../parser/parse';
import { chunksOf, type Chunk } from '../runner/chunks';
import { predictedLocks, disagreements } from './compare';
import { hoverMarkdown, summarize } from './describe';
import { lockRank } from '../linter/statementFacts';
import { blockedWork, lockModeOf } from './lockMatrix';
import { runObserved } from './outside';
import { readLocks, readRelations, readScans, type HeldLock, type RelationMap } from './probe';
import { effectiveMode, sqlError } from './replay';
import type { Scratch } from './scratch';
import type { MeasuredLock, SectionTrace, StatementTrace, TraceTransaction } from './types';

export interface SectionTraceOptions {
  signal?: AbortSignal;
}

const MAX_TEXT = 200;

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT - 1)}…` : one;
}

function transactionWording(s: Section, mode: string, statements: number): string {
  switch (mode) {
    case 'transaction':
      return `in one transaction (${s.transactionSource}), rolled back after the trace`;
    case 'single-query':
      return statements > 1
        ? `as one query string: PostgreSQL runs it in one implicit transaction (${s.transactionSource}), rolled back after the trace`
        : `as one query string holding one statement, outside a transaction block (${s.transactionSource})`;
    default:
      return `statement by statement (${s.transactionSource}): each traced in a transaction of its own, committed on the scratch database`;
  }
}

export class TraceAborted extends Error {
  constructor() {
    super('the trace was cancelled');
  }
}

export async function traceSection(
  scratch: Scratch,
  m: Migration,
  s: Section,
  options: SectionTraceOptions = {},
): Promise<SectionTrace> {
  const client = scratch.client;
  const chunks = chunksOf(s);
  const mode = effectiveMode(s);
  const sectionTx = mode === 'transaction' || (mode === 'single-query' && chunks.length > 1);
  const major = Math.floor(scratch.server.versionNum / 10000);
  const out: SectionTrace = {
    kind: s.kind,
    file: s.file.path,
    transaction: transactionWording(s, mode, chunks.length),
    applied: 'none',
    statements: [],
  };
  // what stays on the scratch database: commits, and work undone by rollbacks
  let committed = false;
  let undone = false;
  let rels = await readRelations(client);
  const existingOids = new Set(rels.keys());
  let inTx = false;
  let txKind: TraceTransaction = 'own';
  if (sectionTx) {
    await client.query('BEGIN');
    inTx = true;
    txKind = 'section';
  }
  let failed: string | undefined;
  const finish = (t: StatementTrace) => {
    t.summary = summarize(t);
    t.hover = hoverMarkdown(t, scratch.server);
    out.statements.push(t);
  };
  try {
    for (const [index, chunk] of chunks.entries()) {
      if (options.signal?.aborted) throw new TraceAborted();
      const stmt = chunk.statement;
      const t = blank(s, chunk, index, inTx ? txKind : 'own');
      if (failed) {
        t.status = 'skipped';
        t.reason = failed;
        finish(t);
        continue;
      }
      if (stmt?.kind === 'TransactionStmt') {
        const r = await transactionControl(client, stmt, inTx);
        if (inTx && !r.inTx) {
          if (stmt.ast.kind === 'TRANS_STMT_ROLLBACK') undone = true;
          else committed = true;
        }
        inTx = r.inTx;
        if (r.inTx) txKind = 'section';
        t.status = 'skipped';
        t.reason = r.reason;
        finish(t);
        continue;
      }
      if (stmt && isNonTransactional(stmt, major)) {
        if (inTx) {
          // PostgreSQL's own error, without losing the transaction
          await client.query('SAVEPOINT pgmig_trace');
          try {
            await client.query(chunk.text);
            await client.query('RELEASE SAVEPOINT pgmig_trace');
            t.status = 'traced';
          } catch (e) {
            await client.query('ROLLBACK TO SAVEPOINT pgmig_trace');
            t.status = 'failed';
            t.error = sqlError(e);
            failed = `an earlier statement (line ${s.file.index.positionAt(chunk.start).line + 1}) fails`;
          }
          finish(t);
          continue;
        }
        await traceOutside(scratch, chunk, t, rels, existingOids);
        if (t.status !== 'failed') committed = true;
        rels = await readRelations(client);
        if (t.status === 'failed')
          failed = `an earlier statement (line ${t.range.start.line + 1}) failed`;
        finish(t);
        continue;
      }
      const own = !inTx;
      if (own) await client.query('BEGIN');
      const before = rels;
      const [locksBefore, scansBefore] = await Promise.all([readLocks(client), readScans(client)]);
      const t0 = performance.now();
      try {
        await client.query(chunk.text);
      } catch (e) {
        t.durationMs = performance.now() - t0;
        t.status = 'failed';
        t.error = sqlError(e);
        await client.query('ROLLBACK').catch(() => {});
        undone = true;
        inTx = false;
        failed = `an earlier statement (line ${t.range.start.line + 1}) failed`;
        finish(t);
        continue;
      }
      t.durationMs = performance.now() - t0;
      const [locksAfter, after, scansAfter] = [
        await readLocks(client),
        await readRelations(client),
        await readScans(client),
      ];
      t.status = 'traced';
      t.locks = measuredLocks(locksAfter, locksBefore, before, after, existingOids);
      fillEffects(t, before, after);
      for (const [oid, n] of scansAfter) {
        const delta = n - (scansBefore.get(oid) ?? 0);
        const rel = after.get(oid) ?? before.get(oid);
        if (delta > 0 && rel) t.scanned.push({ relation: rel.key, seqScans: delta });
      }
      compare(t, stmt, before, existingOids);
      if (own) {
        await client.query('COMMIT');
        committed = true;
      }
      rels = after;
      finish(t);
    }
  } finally {
    if (inTx) {
      await client.query('ROLLBACK').catch(() => {});
      undone = true;
    }
  }
  out.applied = committed ? (undone || failed ? 'partly' : 'all') : 'none';
  return out;
}

function blank(s: Section, chunk: Chunk, index: number, tx: TraceTransaction): StatementTrace {
  const idx = s.file.index;
  return {
    index,
    file: s.file.path,
    start: chunk.start,
    end: chunk.end,
    range: { start: idx.positionAt(chunk.start), end: idx.positionAt(chunk.end) },
    text: shorten(chunk.text),
    kind: chunk.statement?.kind ?? '',
    status: 'skipped',
    transaction: tx,
    locks: [],
    rewritten: [],
    rebuiltIndexes: [],
    scanned: [],
    created: [],
    dropped: [],
    predicted: [],
    disagreements: [],
    summary: '',
    hover: '',
  };
}

async function transactionControl(
  client: pg.Client,
  stmt: Statement,
  inTx: boolean,
): Promise<{ inTx: boolean; reason: string }> {
  const k: string = stmt.ast.kind;
  switch (k) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      if (inTx)
        return { inTx, reason: 'already inside a transaction: PostgreSQL warns and ignores it' };
      await client.query('BEGIN');
      return {
        inTx: true,
        reason: 'opens a transaction: the statements up to its end are traced in it',
      };
    case 'TRANS_STMT_COMMIT':
      if (!inTx) return { inTx, reason: 'no transaction is open: PostgreSQL warns and ignores it' };
      await client.query('COMMIT');
      return { inTx: false, reason: 'ends the transaction (committed on the scratch database)' };
    case 'TRANS_STMT_ROLLBACK':
      if (!inTx) return { inTx, reason: 'no transaction is open: PostgreSQL warns and ignores it' };
      await client.query('ROLLBACK');
      return { inTx: false, reason: 'rolls the transaction back' };
    case 'TRANS_STMT_SAVEPOINT':
    case 'TRANS_STMT_RELEASE':
    case 'TRANS_STMT_ROLLBACK_TO':
      if (inTx) await client.query(stmt.text);
      return { inTx, reason: 'savepoint handling' };
    default:
      return { inTx, reason: 'two-phase commit is not traced' };
  }
}

function measuredLocks(
  after: HeldLock[],
  before: HeldLock[],
  relsBefore: RelationMap,
  relsAfter: RelationMap,
  existing: ReadonlySet<number>,
): MeasuredLock[] {
  const strongestBefore = new Map<number, number>();
  for (const l of before) {
    const mode = lockModeOf(l.mode);
    if (mode && l.granted)
      strongestBefore.set(l.oid, Math.max(strongestBefore.get(l.oid) ?? -1, lockRank(mode)));
  }
  const best = new Map<number, MeasuredLock>();
  for (const l of after) {
    const mode = lockModeOf(l.mode);
    // prefer the name before the statement: a renamed or dropped relation shows as it was
    const rel = relsBefore.get(l.oid) ?? relsAfter.get(l.oid);
    if (!mode || !rel) continue;
    const prev = best.get(l.oid);
    if (prev && lockRank(prev.mode) >= lockRank(mode)) continue;
    best.set(l.oid, {
      relation: rel.key,
      kind: rel.kind,
      table: rel.table,
      mode,
      granted: l.granted,
      taken: lockRank(mode) > (strongestBefore.get(l.oid) ?? -1),
      existing: existing.has(l.oid),
      blocks: blockedWork(mode),
    });
  }
  return [...best.values()].sort((a, b) => lockRank(b.mode) - lockRank(a.mode));
}

const STORAGE_KINDS = new Set(['table', 'index', 'materialized view', 'sequence']);

function fillEffects(t: StatementTrace, before: RelationMap, after: RelationMap): void {
  for (const [oid, b] of before) {
    const a = after.get(oid);
    if (!a) t.dropped.push(b.key);
    else if (STORAGE_KINDS.has(b.kind) && b.filenode !== 0 && a.filenode !== b.filenode)
      (b.kind === 'index' ? t.rebuiltIndexes : t.rewritten).push(b.key);
  }
  for (const [oid, a] of after) if (!before.has(oid)) t.created.push(a.key);
}

/** Names that, right before the statement, belong to relations that existed before the section. */
function existingNames(before: RelationMap, existing: ReadonlySet<number>): Set<string> {
  return new Set([...before.values()].filter((r) => existing.has(r.oid)).map((r) => r.key));
}

function compare(
  t: StatementTrace,
  stmt: Statement | undefined,
  before: RelationMap,
  existing: ReadonlySet<number>,
): void {
  if (!stmt) return;
  t.predicted = predictedLocks(stmt, before);
  t.disagreements = disagreements(t.predicted, t.locks, existingNames(before, existing));
}

async function traceOutside(
  scratch: Scratch,
  chunk: Chunk,
  t: StatementTrace,
  rels: RelationMap,
  existing: ReadonlySet<number>,
): Promise<void> {
  t.transaction = 'outside';
  if (!scratch.multiSession) {
    const t0 = performance.now();
    try {
      await scratch.client.query(chunk.text);
      t.status = 'not-traced';
      t.reason =
        'it runs outside a transaction block, and the embedded database has a single session, so its locks cannot be watched while it runs (trace with --db on a development server to measure it)';
    } catch (e) {
      t.status = 'failed';
      t.error = sqlError(e);
    }
    t.durationMs = performance.now() - t0;
    fillEffects(t, rels, await readRelations(scratch.client));
    return;
  }
  const run = await runObserved(scratch, chunk.text, rels);
  t.durationMs = run.durationMs;
  const after = await readRelations(scratch.client);
  fillEffects(t, rels, after);
  if (run.error) {
    t.status = 'failed';
    t.error = sqlError(run.error);
    return;
  }
  if (!run.observed) {
    t.status = 'not-traced';
    t.reason =
      'it ran outside a transaction block and finished before a second session could see its locks';
    return;
  }
  t.status = 'traced';
  t.locks = measuredLocks(run.locks, [], rels, after, existing);
  if (chunk.statement) {
    t.predicted = predictedLocks(chunk.statement, rels);
    t.disagreements = disagreements(t.predicted, t.locks, existingNames(rels, existing));
  }
}
