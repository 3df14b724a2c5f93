/** The runner's results as plain JSON (protocol/runner.ts): dates as ISO strings, no models. */
import type { WireEntry, WireRunResult, WireStatus } from '../protocol/runner';
import type { RunResult, StatusReport } from './runner';
import type { StatusEntry } from './status';

export function wireEntry(e: StatusEntry): WireEntry {
  return {
    state: e.state,
    version: e.version,
    name: e.name,
    file: e.file,
    line: e.line,
    hasDown: e.hasDown,
    appliedAt: e.appliedAt?.toISOString(),
    durationMs: e.durationMs,
    failure: e.failure,
    outOfOrder: e.outOfOrder,
  };
}

export function wireStatus(r: StatusReport): WireStatus {
  return {
    connection: r.connection,
    serverVersion: r.serverVersion,
    folder: r.folder,
    history: r.history,
    sideTable: r.sideTable,
    entries: r.entries.map(wireEntry),
    others: r.others,
    blocked: r.blocked,
    pending: r.entries.filter((e) => e.state === 'pending').length,
  };
}

export function wireRunResult(r: RunResult): WireRunResult {
  return {
    ok: r.ok,
    done: r.done,
    failure: r.failure,
    planned: r.planned,
    status: r.status && wireStatus(r.status),
  };
}
