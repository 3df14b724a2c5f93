/**
 * What DOWN generation produces: statements that undo an UP, each with the remarks a reviewer
 * needs, and TODOs for what cannot be undone. Plain data, rendered per runner format by render.ts.
 */

export interface DownItem {
  /** One statement, without its semicolon. */
  sql?: string;
  /** What cannot be undone and why; rendered as a `-- TODO(pgmig):` comment. */
  todo?: string;
  /** A remark about the statement below it (rendered as a comment). */
  note?: string;
  /** The statement cannot run inside a transaction block (DROP INDEX CONCURRENTLY). */
  noTransaction?: boolean;
}

export interface DownPlan {
  /** In the order they must run. */
  items: DownItem[];
  /** True when every UP statement was undone without a TODO. */
  complete: boolean;
  /** Whether some statement must run outside a transaction. */
  noTransaction: boolean;
}
