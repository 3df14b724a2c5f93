/**
 * Which migrations a run touches: pending ones in runner order up to a version or a file, or the
 * last applied ones (in the order the history says they were applied) for DOWN. A failed migration
 * blocks every run until it is resolved.
 */
import { resolve } from 'node:path';
import { compareVersions } from '../folder/format';
import { downSections, type Migration } from '../folder/model';
import { appliedInOrder, type StatusEntry } from './status';
import type { Failure } from './types';

export class PlanError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

function matches(e: StatusEntry, target: string): boolean {
  if (e.version === target || e.key === target || `${e.version}_${e.name}` === target) return true;
  return /^\d+$/.test(target) && /^\d+$/.test(e.version) && BigInt(target) === BigInt(e.version);
}

function find(entries: readonly StatusEntry[], target: string): number {
  const i = entries.findIndex((e) => matches(e, target));
  if (i < 0) {
    // the versions on either side of where it would sort
    const at = entries.findIndex((e) => compareVersions(e.version, target) > 0);
    const around = (at < 0 ? entries.slice(-1) : entries.slice(Math.max(0, at - 1), at + 1)).map(
      (e) => e.version,
    );
    throw new PlanError({
      kind: 'plan',
      message: `no migration with version '${target}'${around.length ? ` (nearest: ${around.join(', ')})` : ''}`,
    });
  }
  return i;
}

function indexOfFile(entries: readonly StatusEntry[], file: string): number {
  const abs = resolve(file);
  const i = entries.findIndex((e) => e.migration?.files.some((f) => f.path === abs));
  if (i < 0)
    throw new PlanError({ kind: 'plan', message: `${file} is not a migration of this folder` });
  return i;
}

export function blockingFailure(entries: readonly StatusEntry[]): Failure | undefined {
  const failed = entries.find((e) => e.state === 'failed');
  if (!failed) return undefined;
  const where = failed.failure?.file
    ? ` at ${failed.failure.file}:${(failed.failure.line ?? 0) + 1}`
    : '';
  return {
    kind: 'blocked',
    version: failed.version,
    name: failed.name,
    file: failed.file,
    line: failed.failure?.line ?? failed.line,
    message:
      `migration ${failed.version} (${failed.name}) failed${where}` +
      (failed.failure ? `: ${failed.failure.message}` : ' (the history marks it dirty)') +
      `. Fix it, then resolve it: retry it (pgmig resolve ${failed.version} --retry), or mark it ` +
      `applied or not applied after fixing the database by hand (--applied / --not-applied)`,
  };
}

export interface UpTarget {
  to?: string;
  file?: string;
}

export function planUp(entries: readonly StatusEntry[], target: UpTarget = {}): Migration[] {
  const blocked = blockingFailure(entries);
  if (blocked) throw new PlanError(blocked);
  let last = entries.length - 1;
  if (target.file !== undefined) last = indexOfFile(entries, target.file);
  else if (target.to !== undefined) last = find(entries, target.to);
  return entries
    .slice(0, last + 1)
    .filter((e) => e.state === 'pending' && e.migration)
    .map((e) => e.migration!);
}

export interface DownTarget {
  count?: number;
  /** Roll back everything applied after this version ('0': everything). */
  to?: string;
  file?: string;
}

export function planDown(entries: readonly StatusEntry[], target: DownTarget = {}): StatusEntry[] {
  const blocked = blockingFailure(entries);
  if (blocked) throw new PlanError(blocked);
  const applied = appliedInOrder(entries);
  let chosen: StatusEntry[];
  if (target.file !== undefined) {
    const i = indexOfFile(entries, target.file);
    if (entries[i].appliedOrder === undefined)
      throw new PlanError({ kind: 'plan', message: `${target.file} is not applied` });
    // rolling back one migration also rolls back those applied after it
    chosen = applied.filter((e) => e.appliedOrder! >= entries[i].appliedOrder!);
  } else if (target.to !== undefined) {
    if (target.to === '0') chosen = applied;
    else {
      const i = find(entries, target.to);
      chosen = applied.filter((e) => entries.indexOf(e) > i);
    }
  } else {
    const n = target.count ?? 1;
    if (!Number.isInteger(n) || n < 1)
      throw new PlanError({
        kind: 'plan',
        message: `the count must be a positive integer (got ${n})`,
      });
    chosen = applied.slice(-n);
  }
  chosen = chosen.reverse();
  for (const e of chosen) {
    if (!e.migration)
      throw new PlanError({
        kind: 'plan',
        version: e.version,
        message: `migration ${e.version} is applied but its file is missing: it cannot be rolled back`,
      });
    if (downSections(e.migration).length === 0 || !e.hasDown)
      throw new PlanError({
        kind: 'plan',
        version: e.version,
        name: e.name,
        file: e.file,
        line: e.line,
        message: `migration ${e.version} (${e.name}) has no DOWN section: it cannot be rolled back`,
      });
  }
  return chosen;
}
