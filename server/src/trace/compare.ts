/**
 * Measured locks against the linter's static verdict (statementFacts.tableLocks). Both sides are
 * reduced to what a reviewer cares about: the strongest lock per relation that existed before the
 * section, counting only modes that block more than ACCESS EXCLUSIVE requests (SHARE UPDATE
 * EXCLUSIVE and up). A difference means the linter's lock-based rules judge this statement on a
 * wrong premise.
 */
import { lockRank, tableLocks, type LockMode } from '../linter/statementFacts';
import type { Statement } from '../parser/parse';
import { blockedWork, stronger } from './lockMatrix';
import type { RelationMap } from './probe';
import type { DisagreementRecord, MeasuredLock } from './types';
import { shortName } from '../linter/lockWindow';

const SIGNIFICANT = lockRank('SHARE UPDATE EXCLUSIVE');
const TABLE_KINDS = new Set([
  'table',
  'partitioned table',
  'materialized view',
  'view',
  'foreign table',
]);
const INDEX_KINDS = new Set(['index', 'partitioned index']);

/** The static verdict, with DROP INDEX's index name replaced by the index's table (as lockWindow.ts does). */
export function predictedLocks(
  stmt: Statement,
  before: RelationMap,
): Array<{ relation: string; mode: LockMode }> {
  const byKey = new Map([...before.values()].map((r) => [r.key, r]));
  const dropIndex = stmt.kind === 'DropStmt' && stmt.ast.removeType === 'OBJECT_INDEX';
  const out = new Map<string, LockMode>();
  for (const l of tableLocks(stmt)) {
    const key = (dropIndex && byKey.get(l.table)?.table) || l.table;
    const prev = out.get(key);
    out.set(key, prev ? stronger(prev, l.mode) : l.mode);
  }
  return [...out].map(([relation, mode]) => ({ relation, mode }));
}

/**
 * Locks already held from earlier statements of the same transaction hide what this statement
 * needs on that relation: those relations are compared only when this statement strengthened the
 * lock.
 */
export function disagreements(
  predicted: Array<{ relation: string; mode: LockMode }>,
  measured: MeasuredLock[],
  existingKeys: ReadonlySet<string>,
): DisagreementRecord[] {
  const expected = new Map<string, LockMode>();
  for (const p of predicted) {
    // the static verdict cannot know about tables the migration itself creates
    if (!existingKeys.has(p.relation) || lockRank(p.mode) < SIGNIFICANT) continue;
    expected.set(p.relation, p.mode);
  }
  const seen = new Map<string, LockMode>();
  const heldEarlier = new Map<string, LockMode>();
  for (const l of measured) {
    if (!l.existing || !l.granted) continue;
    // index locks come with table locks; compared only where the verdict names the index itself
    if (!TABLE_KINDS.has(l.kind) && !(INDEX_KINDS.has(l.kind) && expected.has(l.relation)))
      continue;
    if (!l.taken) {
      heldEarlier.set(l.relation, l.mode);
      continue;
    }
    if (lockRank(l.mode) < SIGNIFICANT) continue;
    const prev = seen.get(l.relation);
    seen.set(l.relation, prev ? stronger(prev, l.mode) : l.mode);
  }
  const out: DisagreementRecord[] = [];
  for (const [relation, measuredMode] of seen) {
    const predictedMode = expected.get(relation);
    if (predictedMode === measuredMode) continue;
    const name = shortName(relation);
    const blocks = `— it blocks ${blockedWork(measuredMode).text}`;
    out.push({
      relation,
      predicted: predictedMode,
      measured: measuredMode,
      message: predictedMode
        ? `measured ${measuredMode} on ${name} where the static verdict says ${predictedMode} ${blocks}`
        : `measured ${measuredMode} on ${name}, which the static verdict does not predict ${blocks}`,
    });
  }
  for (const [relation, predictedMode] of expected) {
    if (seen.has(relation)) continue;
    const earlier = heldEarlier.get(relation);
    if (earlier && lockRank(earlier) >= lockRank(predictedMode)) continue;
    const weaker = measured.find((l) => l.relation === relation && l.granted);
    out.push({
      relation,
      predicted: predictedMode,
      measured: weaker?.mode,
      message: `the static verdict predicts ${predictedMode} on ${shortName(relation)}; measured ${weaker ? weaker.mode : 'no lock on it'}`,
    });
  }
  return out;
}
