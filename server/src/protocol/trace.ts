/**
 * Lock tracing and round-trip verification on the language server connection. Shapes are plain
 * JSON shared by both sides (paths absolute, lines and characters 0-based, UTF-16); `pgmig trace
 * --format json` and `pgmig verify --format json` print the same results.
 *
 * Client → server: `trace` (one migration's UP or DOWN), `verify` (a file or a folder), and the
 * `cancel` notification. Server → client: `progress` notifications while earlier migrations are
 * replayed. A password, when a server asks for one, is requested with the runner's
 * `pgmig/runner/password` request.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TraceResult } from '../trace/types';
import type { VerifyResult } from '../verify/roundTripTypes';
import type { WireConnection } from './runner';

export type { TraceResult, StatementTrace, SectionTrace, MeasuredLock } from '../trace/types';
export type { VerifyResult, MigrationVerdict, RoundTripDifference } from '../verify/roundTripTypes';

export interface TraceParams {
  /** The migration file (absolute path). */
  file: string;
  /** Which sections: UP (default) or DOWN (the UP is applied first). */
  direction?: 'up' | 'down';
  /**
   * Where to measure: absent, `memory` or `embedded` → a fresh in-memory PGlite; a named
   * connection or URL → a scratch database created on that (development) server and dropped after.
   * Protected connections are refused.
   */
  connection?: WireConnection;
  /** The editor's unsaved text of `file`, traced instead of the file on disk. */
  text?: string;
  /** Identifies the request for `cancel` and `progress`. */
  traceId?: string;
  /** With a server: report transactions open longer than this (default 60). */
  longTransactionSeconds?: number;
}

export interface VerifyParams {
  /** A migration file, or a folder to check every migration of (absolute path). */
  path: string;
  connection?: WireConnection;
  /** The editor's unsaved text of `path` when it is a file. */
  text?: string;
  traceId?: string;
}

/** Diagnostics for the DOWN sections (and failing statements) of a verification, by file. */
export interface FileDiagnostics {
  file: string;
  diagnostics: Diagnostic[];
}

export interface WireVerifyResult extends VerifyResult {
  diagnostics: FileDiagnostics[];
}

export interface TraceProgressParams {
  traceId?: string;
  message: string;
  done: number;
  total: number;
}

export interface TraceCancelParams {
  traceId: string;
}

/** Error code of ResponseErrors from these requests (data: `{ kind }`). */
export const TRACE_ERROR = -32002;

export const TraceRequest = new RequestType<TraceParams, TraceResult, void>('pgmig/trace');
export const VerifyRequest = new RequestType<VerifyParams, WireVerifyResult, void>('pgmig/verify');
export const TraceProgressNotification = new NotificationType<TraceProgressParams>(
  'pgmig/trace/progress',
);
export const TraceCancelNotification = new NotificationType<TraceCancelParams>(
  'pgmig/trace/cancel',
);
