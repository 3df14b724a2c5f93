/**
 * What `verify` reports: for each migration, whether DOWN brings the schema back to what it was
 * before UP, and whether UP applied again brings back what UP made; each difference placed on the
 * DOWN section for the editor.
 */
import type { Range } from '../text/positions';
import type { ServerDescription } from '../trace/types';

export type VerdictStatus =
  /** DOWN restored the schema and UP applied again reproduced it. */
  | 'restored'
  | 'differences'
  /** The migration has no DOWN section: applied, not checked. */
  | 'no-down'
  | 'up-failed'
  | 'down-failed'
  | 'up-again-failed'
  /** Not checked: an earlier migration left the scratch database unusable. */
  | 'skipped';

export interface Located {
  file: string;
  /** UTF-16 offsets in the file. */
  start: number;
  end: number;
  range: Range;
}

export interface RoundTripDifference extends Located {
  /** `down`: DOWN did not restore the schema before UP; `up-again`: UP after DOWN differs from UP. */
  phase: 'down' | 'up-again';
  /** The object, e.g. `column users.email`. */
  object: string;
  kind: 'missing' | 'extra' | 'changed';
  message: string;
}

export interface RoundTripFailure extends Located {
  phase: 'up' | 'down' | 'up-again';
  message: string;
  code?: string;
  hint?: string;
}

export interface MigrationVerdict {
  id: string;
  version: string;
  name: string;
  label: string;
  status: VerdictStatus;
  differences: RoundTripDifference[];
  failure?: RoundTripFailure;
  /** Why it was skipped. */
  reason?: string;
  durationMs: number;
}

export interface VerifyResult {
  server: ServerDescription;
  /** Migrations applied before the first checked one. */
  replayed: number;
  migrations: MigrationVerdict[];
  /** True when every checked migration with a DOWN round-trips exactly. */
  ok: boolean;
}
