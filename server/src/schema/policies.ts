/**
 * Row-level security policies in the schema model, kept so a DOWN can recreate a dropped one.
 */
import type { Piece } from './definitions';

export interface PolicyInfo {
  schema: string;
  table: string;
  name: string;
  /** `POLICY p ON t …` after CREATE, while it still describes the policy. */
  definition?: Piece;
  createdIn: string;
}
