/**
 * `trace` end to end: a scratch database, the earlier migrations replayed, then the chosen
 * sections of one migration traced statement by statement. Tracing DOWN first applies the
 * migration's UP, since a DOWN runs on top of it.
 */
import type { Migration } from '../folder/model';
import { applySection, applyUp, ReplayError } from './replay';
import type { Scratch } from './scratch';
import { traceSection, type SectionTraceOptions } from './traceSection';
import type { TraceResult } from './types';

export interface TraceRequest {
  migration: Migration;
  earlier: readonly Migration[];
  /** Which sections: UP (default) or DOWN. */
  direction?: 'up' | 'down';
  signal?: AbortSignal;
  /** Called after each earlier migration is replayed (progress in the editor). */
  onReplay?(done: number, total: number): void;
}

/** Brings the scratch database to the state before `migration`; throws ReplayError on failure. */
export async function replayEarlier(
  scratch: Scratch,
  earlier: readonly Migration[],
  options: Pick<TraceRequest, 'signal' | 'onReplay'> = {},
): Promise<void> {
  for (const [i, m] of earlier.entries()) {
    if (options.signal?.aborted) throw new Error('the trace was cancelled');
    await applyUp(scratch.client, m);
    options.onReplay?.(i + 1, earlier.length);
  }
}

export async function traceMigration(scratch: Scratch, req: TraceRequest): Promise<TraceResult> {
  const t0 = performance.now();
  await replayEarlier(scratch, req.earlier, req);
  const direction = req.direction ?? 'up';
  if (direction === 'down') await applyUp(scratch.client, req.migration);
  const replayMs = performance.now() - t0;
  const m = req.migration;
  const sections = m.sections.filter((s) => s.kind === direction);
  const notes: string[] = [];
  if (sections.length === 0)
    notes.push(`${m.label} has no ${direction.toUpperCase()} section: nothing to trace`);
  const options: SectionTraceOptions = { signal: req.signal };
  const traced = [];
  for (const s of sections) traced.push(await traceSection(scratch, m, s, options));
  const all = traced.flatMap((s) => s.statements);
  if (all.some((t) => t.transaction !== 'section' && t.status !== 'skipped'))
    notes.push(
      'statements outside a transaction were committed on the scratch database (it is discarded after the trace)',
    );
  return {
    server: scratch.server,
    migration: { id: m.id, version: m.version, name: m.name, label: m.label },
    replayed: req.earlier.length,
    replayMs,
    sections: traced,
    notes,
    ok: !all.some((t) => t.status === 'failed'),
  };
}

/**
 * Traces every migration of a folder in order on one scratch database: each UP is traced, then
 * left applied (a rolled-back section is applied again for real) so the next one runs on top of
 * it. Stops after a migration that failed or was left half applied.
 */
export async function traceFolder(
  scratch: Scratch,
  migrations: readonly Migration[],
  options: Pick<TraceRequest, 'signal' | 'onReplay'> = {},
): Promise<{ results: TraceResult[]; stopped?: string }> {
  const results: TraceResult[] = [];
  for (const [i, m] of migrations.entries()) {
    const r = await traceMigration(scratch, { migration: m, earlier: [], signal: options.signal });
    results.push(r);
    options.onReplay?.(i + 1, migrations.length);
    const partly = r.sections.find((s) => s.applied === 'partly');
    if (!r.ok || partly)
      return {
        results,
        stopped: `${m.label} ${r.ok ? 'was left half applied' : 'fails'}: the migrations after it are not traced`,
      };
    const up = m.sections.filter((s) => s.kind === 'up');
    for (const [j, s] of up.entries())
      if (r.sections[j]?.applied === 'none') await applySection(scratch.client, m, s);
  }
  return { results };
}

export { ReplayError };
