/**
 * The state of every migration: the folder's migrations in runner order merged with the runner's
 * history and pgmig's side table — applied, pending, failed, changed since applied, or applied
 * with its file gone.
 */
import { compareVersions } from '../folder/format';
import { downSections, upSections, type Migration, type MigrationFolder } from '../folder/model';
import { contentHash } from './checksum';
import type { AppliedRow, HistoryAdapter } from './history';
import type { SideRow } from './sideTable';
import type { Failure, MigrationState } from './types';

export interface StatusEntry {
  key: string;
  version: string;
  name: string;
  state: MigrationState;
  /** The migration's first file (absent for missing-file). */
  file?: string;
  /** 0-based line where its UP section starts. */
  line?: number;
  hasDown: boolean;
  appliedAt?: Date;
  durationMs?: number;
  /** Why it failed (failed state). */
  failure?: Failure;
  /** Direction of the run that failed. */
  failedDirection?: 'up' | 'down';
  /** Statements the failed run completed, and their hash (to resume a retry after them). */
  resume?: { done: number; hash?: string };
  /** A pending migration older than one already applied. */
  outOfOrder?: boolean;
  /** Position in the order the history says it was applied (applied entries only). */
  appliedOrder?: number;
  migration?: Migration;
}

export function computeStatus(
  folder: MigrationFolder,
  adapter: HistoryAdapter,
  rows: readonly AppliedRow[],
  side: ReadonlyMap<string, SideRow>,
): StatusEntry[] {
  const rowByKey = new Map<string, { row: AppliedRow; order: number }>();
  rows.forEach((row, order) => rowByKey.set(row.key, { row, order }));
  const entries: StatusEntry[] = [];
  let lastApplied = -1;
  for (const m of folder.migrations) {
    const key = adapter.keyOf(m);
    const hit = rowByKey.get(key);
    rowByKey.delete(key);
    const s = side.get(key);
    const up = upSections(m)[0];
    const e: StatusEntry = {
      key,
      version: m.version,
      name: m.name,
      state: 'pending',
      file: m.files[0]?.path,
      line: up ? up.file.index.positionAt(up.marker?.start ?? up.start).line : 0,
      hasDown: downSections(m).length > 0,
      migration: m,
    };
    if (s?.state === 'failed' || hit?.row.failed) {
      e.state = 'failed';
      e.failure = s?.state === 'failed' ? s.failure : undefined;
      e.failedDirection = s?.direction;
      if (s?.state === 'failed' && s.doneStatements)
        e.resume = { done: s.doneStatements, hash: s.checksum };
      e.appliedAt = s?.appliedAt ?? hit?.row.appliedAt;
    } else if (hit) {
      e.state = changed(adapter, m, hit.row, s) ? 'changed-since-applied' : 'applied';
      e.appliedAt = hit.row.appliedAt ?? s?.appliedAt;
      e.durationMs = hit.row.durationMs ?? s?.durationMs;
    }
    if (hit) {
      e.appliedOrder = hit.order;
      lastApplied = entries.length;
    }
    entries.push(e);
  }
  for (let i = 0; i < lastApplied; i++)
    if (entries[i].state === 'pending') entries[i].outOfOrder = true;
  // applied rows whose file is gone, placed by version
  for (const { row, order } of rowByKey.values()) {
    const e: StatusEntry = {
      key: row.key,
      version: row.version,
      name: row.name ?? '',
      state: 'missing-file',
      hasDown: false,
      appliedAt: row.appliedAt,
      durationMs: row.durationMs,
      appliedOrder: order,
    };
    const at = entries.findIndex((x) => compareVersions(x.version, row.version) > 0);
    if (at < 0) entries.push(e);
    else entries.splice(at, 0, e);
  }
  return entries;
}

function changed(adapter: HistoryAdapter, m: Migration, row: AppliedRow, side?: SideRow): boolean {
  if (row.checksum !== undefined && adapter.checksumOf) {
    const now = adapter.checksumOf(m);
    return now !== undefined && now !== row.checksum;
  }
  if (side?.checksum) return side.checksum !== contentHash(m);
  return false;
}

/** Applied entries (those with a history row), oldest application first. */
export function appliedInOrder(entries: readonly StatusEntry[]): StatusEntry[] {
  return entries
    .filter((e) => e.appliedOrder !== undefined && e.state !== 'pending')
    .sort((a, b) => a.appliedOrder! - b.appliedOrder!);
}
