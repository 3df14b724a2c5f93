/**
 * Where the editor's Trace Locks and Verify Round Trip run: the embedded scratch database unless
 * `pgmig.traceOn` asks for the selected connection, and then only a server that is not protected
 * (pgmig creates a scratch database there and drops it after; it never works in yours).
 */
import type { ConnectionChoice } from '../connections/connectionStore';
import type { WireConnection } from '../../../server/src/protocol/runner';

export type TraceOn = 'embedded' | 'selectedConnection';

export interface TracePlace {
  /** Absent: the embedded database (a fresh in-memory PGlite). */
  connection?: WireConnection;
  /** For the log: "the embedded database", "a scratch database on dev". */
  label: string;
}

export class TracePlaceError extends Error {}

export function tracePlace(setting: TraceOn | undefined, selected: ConnectionChoice): TracePlace {
  if (setting !== 'selectedConnection' || selected.scratch)
    return { label: 'the embedded database' };
  if (selected.protected)
    throw new TracePlaceError(
      `"${selected.label}" is a protected connection: traces and round trips never run there. Select a development connection, or set pgmig.traceOn to "embedded".`,
    );
  // DATABASE_URL has no wire form of its own (runs let the server read it): spell it out
  const connection = selected.wire ?? (selected.url ? { url: selected.url } : undefined);
  if (!connection) return { label: 'the embedded database' };
  return {
    connection,
    label: `a scratch database on ${selected.label}`,
  };
}
