/**
 * Words for a traced statement: the one-line summary ("ACCESS EXCLUSIVE on users — blocks reads
 * and writes; table rewritten") and the hover markdown that adds where it was measured, the
 * locks still held from earlier statements, and the comparison with the static verdict.
 */
import { lockRank, type LockMode } from '../linter/statementFacts';
import { shortName } from '../linter/lockWindow';
import { blockedWork } from './lockMatrix';
import type { MeasuredLock, ServerDescription, StatementTrace } from './types';

const TABLE_KINDS = new Set([
  'table',
  'partitioned table',
  'materialized view',
  'view',
  'foreign table',
]);

function list(names: string[]): string {
  const n = names.map(shortName);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

/** The locks worth naming: on existing relations, strongest first; an index only when its lock is stronger than its table's. */
export function notableLocks(locks: MeasuredLock[], taken = true): MeasuredLock[] {
  const chosen = locks.filter((l) => l.existing && (!taken || l.taken));
  const tableMode = new Map<string, LockMode>();
  for (const l of chosen) if (TABLE_KINDS.has(l.kind)) tableMode.set(l.relation, l.mode);
  return chosen
    .filter((l) => {
      if (TABLE_KINDS.has(l.kind)) return true;
      if (l.kind !== 'index' && l.kind !== 'partitioned index')
        return lockRank(l.mode) >= lockRank('SHARE UPDATE EXCLUSIVE');
      const t = l.table && tableMode.get(l.table);
      if (!t) return lockRank(l.mode) >= lockRank('SHARE UPDATE EXCLUSIVE');
      return lockRank(l.mode) >= lockRank('SHARE') && lockRank(l.mode) > lockRank(t);
    })
    .sort((a, b) => lockRank(b.mode) - lockRank(a.mode) || a.relation.localeCompare(b.relation));
}

/** "ACCESS EXCLUSIVE on users — blocks reads and writes; SHARE on orders — blocks writes (reads continue)". */
export function describeLocks(locks: MeasuredLock[]): string {
  const byMode = new Map<LockMode, MeasuredLock[]>();
  for (const l of locks) byMode.set(l.mode, [...(byMode.get(l.mode) ?? []), l]);
  return [...byMode]
    .map(([mode, ls]) => `${mode} on ${names(ls)} — blocks ${blockedWork(mode).text}`)
    .join('; ');
}

function names(locks: MeasuredLock[]): string {
  const label = (l: MeasuredLock) => shortName(l.relation) + (l.granted ? '' : ' (waited for)');
  const isIndex = (l: MeasuredLock) => l.kind === 'index' || l.kind === 'partitioned index';
  const tables = locks.filter((l) => !isIndex(l)).map(label);
  const indexes = locks.filter(isIndex).map(label);
  const parts = [list(tables)];
  if (indexes.length > 0)
    parts.push(`${plural(indexes.length, 'index', 'indexes')} ${list(indexes)}`);
  return parts.filter((p) => p !== '').join(' and ');
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function effects(t: StatementTrace): string[] {
  const out: string[] = [];
  const tables = t.rewritten;
  const indexes = t.rebuiltIndexes;
  if (tables.length > 0) {
    const truncate = /^\s*truncate\b/i.test(t.text);
    const extra =
      indexes.length > 0
        ? ` with ${indexes.length} ${plural(indexes.length, 'index', 'indexes')}`
        : '';
    out.push(
      truncate
        ? `${list(tables)} emptied (new storage)`
        : `${plural(tables.length, 'table', 'tables')} ${list(tables)} rewritten${extra}`,
    );
  } else if (indexes.length > 0) {
    out.push(`${plural(indexes.length, 'index', 'indexes')} ${list(indexes)} rebuilt`);
  }
  const scanned = t.scanned.filter((s) => !tables.includes(s.relation)).map((s) => s.relation);
  if (scanned.length > 0) out.push(`full scan of ${list(scanned)}`);
  return out;
}

/**
 * Locks the statement needs (by the static verdict) that its transaction already held, stronger:
 * the statement runs inside the earlier statement's lock window.
 */
function heldForIt(t: StatementTrace): MeasuredLock[] {
  const taken = new Set(t.locks.filter((l) => l.taken).map((l) => l.relation));
  return t.predicted.flatMap((p) => {
    const l = t.locks.find((x) => x.relation === p.relation && !x.taken && x.existing);
    return l && !taken.has(p.relation) && lockRank(l.mode) >= lockRank('SHARE') ? [l] : [];
  });
}

export function summarize(t: StatementTrace): string {
  switch (t.status) {
    case 'failed':
      return `failed: ${t.error?.message ?? 'error'}`;
    case 'skipped':
      return `not run: ${t.reason ?? ''}`;
    case 'not-traced':
      return [`not traced: ${t.reason ?? ''}`, ...effects(t)].join('; ');
  }
  const locks = notableLocks(t.locks);
  const held = heldForIt(t);
  const parts = [
    locks.length > 0 || held.length > 0 ? describeLocks(locks) : 'no lock on an existing relation',
    ...held.map(
      (l) =>
        `${l.mode} on ${shortName(l.relation)} still held from an earlier statement (blocks ${blockedWork(l.mode).text})`,
    ),
    ...effects(t),
  ];
  return parts.filter((p) => p !== '').join('; ');
}

function where(server: ServerDescription): string {
  return `PostgreSQL ${server.version}${server.embedded ? ' (embedded)' : ''}`;
}

export function hoverMarkdown(t: StatementTrace, server: ServerDescription): string {
  const lines = [`**pgmig trace** — measured on ${where(server)}: ${t.summary}`];
  if (t.durationMs !== undefined)
    lines.push(
      '',
      `Took ${t.durationMs.toFixed(1)} ms on the scratch database (empty tables: real tables take longer).`,
    );
  const earlier = notableLocks(t.locks, false).filter(
    (l) => !l.taken && lockRank(l.mode) >= lockRank('SHARE UPDATE EXCLUSIVE'),
  );
  if (earlier.length > 0)
    lines.push(
      '',
      `Still held from earlier statements of the transaction: ${describeLocks(earlier)}.`,
    );
  if (t.weights && t.weights.length > 0)
    lines.push('', '**On the connected database:**', ...t.weights.map((w) => `- ${w}`));
  if (t.transaction === 'outside')
    lines.push('', 'Ran outside a transaction block, observed from a second session.');
  if (t.error?.hint) lines.push('', `Hint: ${t.error.hint}`);
  if (t.disagreements.length > 0)
    lines.push(
      '',
      '**Differs from the static verdict:**',
      ...t.disagreements.map((d) => `- ${d.message}`),
    );
  return lines.join('\n');
}
