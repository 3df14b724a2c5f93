/**
 * Round-trip verification on a scratch database: for each migration, snapshot the schema, apply
 * UP, snapshot, apply DOWN, compare with the first snapshot, apply UP again and compare with the
 * second. Snapshots and their diff come from snapshot.ts and diff.ts; this file runs the steps,
 * keeps going through a folder while the database stays usable, and places every finding.
 */
import { downSections, upSections, type Migration, type Section } from '../folder/model';
import { applyDown, applyUp, ReplayError } from '../trace/replay';
import type { Scratch } from '../trace/scratch';
import { collapseDifferences } from './collapse';
import { diffSnapshots, type Difference } from './diff';
import { locateOnSections, sectionAnchor } from './locate';
import type {
  MigrationVerdict,
  RoundTripDifference,
  RoundTripFailure,
  VerifyResult,
} from './roundTripTypes';
import { takeSnapshot, type Snapshot } from './snapshot';

export interface VerifyRequest {
  /** Applied (UP only) before the first checked migration. */
  earlier: readonly Migration[];
  /** Checked in order, each on top of the ones before. */
  migrations: readonly Migration[];
  signal?: AbortSignal;
  onProgress?(done: number, total: number, label: string): void;
}

class Stop extends Error {}

function failureOf(e: ReplayError, phase: RoundTripFailure['phase']): RoundTripFailure {
  const idx = e.section.file.index;
  return {
    phase,
    file: e.section.file.path,
    start: e.start,
    end: e.end,
    range: { start: idx.positionAt(e.start), end: idx.positionAt(e.end) },
    message: e.sql.message,
    code: e.sql.code,
    hint: e.sql.hint,
  };
}

function placed(
  d: Difference,
  phase: RoundTripDifference['phase'],
  down: readonly Section[],
): RoundTripDifference {
  const message =
    phase === 'down'
      ? d.kind === 'changed'
        ? `after DOWN: ${d.message}`
        : `${d.message} by DOWN`
      : `UP applied again after DOWN: ${d.message.replace(/ restored as /, ' became ').replace(/ not restored$/, ' not created again')}`;
  return { ...locateOnSections(down, d.object), phase, object: d.object, kind: d.kind, message };
}

function sameSchema(a: Snapshot, b: Snapshot): boolean {
  return diffSnapshots(a, b).length === 0;
}

async function checkOne(scratch: Scratch, m: Migration): Promise<MigrationVerdict> {
  const t0 = performance.now();
  const v: MigrationVerdict = {
    id: m.id,
    version: m.version,
    name: m.name,
    label: m.label,
    status: 'restored',
    differences: [],
    durationMs: 0,
  };
  const done = () => ({ ...v, durationMs: performance.now() - t0 });
  const client = scratch.client;
  const down = downSections(m);
  const before = down.length > 0 ? await takeSnapshot(client) : undefined;
  try {
    await applyUp(client, m);
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e;
    v.status = 'up-failed';
    v.failure = failureOf(e, 'up');
    throw Object.assign(new Stop(`UP of ${m.label} fails`), { verdict: done() });
  }
  if (!before) {
    v.status = 'no-down';
    return done();
  }
  const afterUp = await takeSnapshot(client);
  try {
    await applyDown(client, m);
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e;
    v.status = 'down-failed';
    v.failure = failureOf(e, 'down');
    // a DOWN that failed inside its transaction left the schema as UP made it
    if (!sameSchema(afterUp, await takeSnapshot(client)))
      throw Object.assign(new Stop(`DOWN of ${m.label} failed part way`), { verdict: done() });
    return done();
  }
  const afterDown = await takeSnapshot(client);
  v.differences.push(
    ...collapseDifferences(diffSnapshots(before, afterDown), before, afterDown).map((d) =>
      placed(d, 'down', down),
    ),
  );
  try {
    await applyUp(client, m);
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e;
    v.status = 'up-again-failed';
    v.failure = failureOf(e, 'up-again');
    v.failure.message = `UP fails when applied again after DOWN: ${v.failure.message}`;
    throw Object.assign(new Stop(`UP of ${m.label} fails after its DOWN`), { verdict: done() });
  }
  const again = await takeSnapshot(client);
  v.differences.push(
    ...collapseDifferences(diffSnapshots(afterUp, again), afterUp, again).map((d) =>
      placed(d, 'up-again', down),
    ),
  );
  if (v.differences.length > 0) v.status = 'differences';
  return done();
}

export async function verifyRoundTrip(scratch: Scratch, req: VerifyRequest): Promise<VerifyResult> {
  for (const m of req.earlier) {
    if (req.signal?.aborted) throw new Error('verification was cancelled');
    await applyUp(scratch.client, m);
  }
  const out: MigrationVerdict[] = [];
  let stopped: string | undefined;
  for (const [i, m] of req.migrations.entries()) {
    if (req.signal?.aborted) throw new Error('verification was cancelled');
    if (stopped) {
      out.push({
        id: m.id,
        version: m.version,
        name: m.name,
        label: m.label,
        status: 'skipped',
        differences: [],
        reason: `not checked: ${stopped}`,
        durationMs: 0,
      });
      continue;
    }
    try {
      out.push(await checkOne(scratch, m));
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      out.push((e as Stop & { verdict: MigrationVerdict }).verdict);
      stopped = e.message;
    }
    req.onProgress?.(i + 1, req.migrations.length, m.label);
  }
  return {
    server: scratch.server,
    replayed: req.earlier.length,
    migrations: out,
    ok: out.every((v) => v.status === 'restored' || v.status === 'no-down'),
  };
}

/** Where a verdict without a located difference belongs: its DOWN section, else its UP. */
export function anchorOf(m: Migration): ReturnType<typeof sectionAnchor> | undefined {
  const s = downSections(m)[0] ?? upSections(m)[0];
  return s ? sectionAnchor(s) : undefined;
}
