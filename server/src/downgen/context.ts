/** What an inverter sees: the statement, the schema model right before it, and helpers. */
import type { Ast, Statement } from '../parser/parse';
import type { Catalog } from '../schema/catalog';
import type { DownItem } from './types';

export interface InvertContext {
  stmt: Statement;
  /** The model right before the statement (do not change it). */
  before: Catalog;
  /** The model right after the statement (computed on first use). */
  after(): Catalog;
  /**
   * Keys of the entries of the model's map `label` (`tables`, `indexes`, `comments`…) that the
   * statement wrote: what can differ between before and after, in the order it was written.
   * Undefined: not known, every entry can differ.
   */
  written?: (label: string) => Iterable<string>;
  migrationId: string;
  /** Whether this UP created the table (schema.name key) before this statement. */
  createdHere(tableKey: string): boolean;
  /** Whether this UP created the type (schema.name key) before this statement. */
  typeCreatedHere(typeKey: string): boolean;
  /** Whether this UP created the role before this statement (it held no privileges before). */
  roleCreatedHere(role: string): boolean;
}

export type Inverter = (ctx: InvertContext) => DownItem[];

/** A TODO with the statement that would undo it, commented out for the reviewer to judge. */
export function suggest(todo: string, sql: string): DownItem {
  return { todo: `${todo}\n${sql.replace(/^/gm, '-- ')};` };
}

/**
 * The undo of a `CREATE … IF NOT EXISTS` of something the model does not know, when the model
 * cannot rule out that it existed (dynamic SQL ran, or the table is not known exactly): the
 * object is dropped as a migration author would, with a note saying what that assumes.
 */
export function ifItDidNotExist(ctx: InvertContext, what: string, item: DownItem): DownItem {
  const reason = ctx.before.opaque
    ? (ctx.before.opaqueReason ?? 'the schema model is uncertain')
    : 'the schema model does not know the table exactly';
  return { ...item, note: `assumes ${what} did not exist before the UP (${reason})` };
}

/** The first `n` characters of a statement, on one line, for TODO messages. */
export function excerpt(stmt: Statement, n = 60): string {
  const one = stmt.text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export type { Ast };
