/**
 * What a lint of one migration keeps for the next lint of it (the language server lints the same
 * migration after every edit). Per statement of each UP section: the entries of the schema model
 * that its replay and its rules read, the entries its replay left behind, and the findings of the
 * rules that looked at nothing but the statement and the model.
 *
 * On the next lint, a statement with the same parse tree, the same transaction and session state,
 * and none of whose read entries changed since (compared with the previous lint at the same point)
 * is not replayed or checked again: its entries are put back and its findings moved to where the
 * statement now is. Rules that read other statements, the section or the file run again on every
 * statement; what they commonly need without that (the statement's ignore comment, the later
 * statements on a table) the engine gives them and checks itself (lint.ts). The result is exactly
 * that of a lint from scratch
 * (test/unit/linter/lintJournal.test.ts checks this under random edits of corpus files).
 */
import type { Statement } from '../parser/parse';
import type { Recorder, TrackedMap } from '../schema/tracked';
import type { Settings } from '../config/settings';
import type { SessionState, TxState, Violation } from './types';

/**
 * Entries read, flat to keep a long file's journal small: label, key, label, key… where a key
 * of `null` means the whole map.
 */
type Reads = readonly (string | null)[];
/** Entries written, flat: label, key, value after the statement (tracked.ts's DELETED: removed)… */
type Writes = readonly unknown[];

const NONE: readonly never[] = Object.freeze([]);

export interface JournalStep {
  tree: object;
  /** Where the statement started and ended when this was recorded. */
  start: number;
  end: number;
  tx: TxState;
  session: SessionState;
  /** Entries the rules that are not run again read. */
  ruleReads: Reads;
  /** Entries the replay read. */
  replayReads: Reads;
  /** Entries the replay changed, with their values after the statement. */
  writes: Writes;
  /** Indexes (in the active rule list) of the rules that must run again. */
  rerun: readonly number[];
  /** Findings of the other rules, in the order they were reported. */
  found: readonly { rule: number; v: Violation }[];
  /** What the ignore comments of those findings read before the statement (leadOf), if any. */
  lead?: string;
}

/** What one lint of a migration leaves for the next; pass the same object to every lint of it. */
export class LintJournal {
  /** Steps of each UP section, in order. */
  sections: JournalStep[][] = [];
  /** Per UP section: the statements that can concern each table later (columnTypes' touching). */
  touching: (ReadonlyMap<string, readonly object[]> | undefined)[] = [];
  private owner: { settings: Settings; rules: readonly unknown[]; migration: string } | undefined;

  /** Forgets everything when the lint is not comparable with the previous one. */
  begin(settings: Settings, rules: readonly unknown[], migration: string): void {
    const o = this.owner;
    if (
      !o ||
      o.settings !== settings ||
      o.migration !== migration ||
      o.rules.length !== rules.length ||
      o.rules.some((r, i) => r !== rules[i])
    ) {
      this.sections = [];
      this.touching = [];
      this.owner = { settings, rules, migration };
    }
  }
}

/**
 * Entries whose value differs from the previous lint's at the same point of the migration, by
 * map label.
 */
export class Dirty {
  private readonly byLabel = new Map<string, Set<string>>();

  constructor(private readonly maps: ReadonlyMap<string, TrackedMap<unknown>>) {}

  mark(label: string, key: string, dirty: boolean): void {
    let keys = this.byLabel.get(label);
    if (dirty) {
      if (!keys) this.byLabel.set(label, (keys = new Set()));
      keys.add(key);
    } else keys?.delete(key);
  }

  /** Whether every entry in `reads` is unchanged. */
  clean(reads: Reads): boolean {
    if (this.byLabel.size === 0) return true;
    for (let i = 0; i < reads.length; i += 2) {
      const dirty = this.byLabel.get(reads[i]!);
      if (!dirty || dirty.size === 0) continue;
      const key = reads[i + 1];
      if (key === null || dirty.has(key)) return false;
    }
    return true;
  }

  /** Entries a statement of the previous lint wrote and this lint will not: assume changed. */
  markAll(writes: Writes): void {
    for (let i = 0; i < writes.length; i += 3)
      this.mark(writes[i] as string, writes[i + 1] as string, true);
  }

  /** Puts back what a statement left behind: those entries are now as in the previous lint. */
  redo(writes: Writes): void {
    for (let i = 0; i < writes.length; i += 3) {
      const label = writes[i] as string;
      const key = writes[i + 1] as string;
      this.maps.get(label)!.put(key, writes[i + 2]);
      this.mark(label, key, false);
    }
  }

  /**
   * After a statement's replay ran again: its writes (recorded with the values before them)
   * against what the previous lint's statement at this point wrote, if there was one. A value
   * equal to the previous lint's is put back as that very object, so that what reads it later
   * sees no change.
   */
  settle(rec: Recorder, previous: Writes | undefined): Writes {
    if (rec.writes.size === 0 && !previous?.length) return NONE;
    const old = new Map<string, unknown>();
    if (previous)
      for (let i = 0; i < previous.length; i += 3)
        old.set(`${previous[i] as string}\0${previous[i + 1] as string}`, previous[i + 2]);
    const writes: unknown[] = [];
    for (const [map, keys] of rec.writes) {
      const label = map.label;
      for (const [k, before] of keys) {
        let now = map.peek(k);
        const cell = `${label}\0${k}`;
        if (old.has(cell)) {
          const was = old.get(cell);
          old.delete(cell);
          if (now !== was && sameData(now, was)) map.put(k, (now = was));
          this.mark(label, k, now !== was);
        } else if (now !== before) this.mark(label, k, true);
        writes.push(label, k, now);
      }
    }
    // what the previous statement wrote and this one did not: unchanged only if it still holds
    for (const [cell, v] of old) {
      const at = cell.indexOf('\0');
      const label = cell.slice(0, at);
      const k = cell.slice(at + 1);
      const current = this.maps.get(label)!.peek(k);
      this.mark(label, k, current !== v && !sameData(current, v));
    }
    return writes.length > 0 ? writes : NONE;
  }
}

/** Whether two values of the model hold the same facts (plain data: objects, arrays, maps, sets). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameData(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka)
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  return true;
}

/** Reads of a statement, flat (a recorder keys them by map). */
export function readsOf(rec: Recorder): Reads {
  if (rec.reads.size === 0) return NONE;
  const out: (string | null)[] = [];
  for (const [map, keys] of rec.reads) {
    if (keys === true) out.push(map.label, null);
    else for (const k of keys) out.push(map.label, k);
  }
  return out;
}

/**
 * Pairs the statements of a section with the previous lint's steps: the same trees from the start
 * and from the end. Returns the previous step for each statement (undefined in between) and the
 * steps that have no statement any more.
 */
export function align(
  previous: readonly JournalStep[],
  statements: readonly Statement[],
): { pairs: (JournalStep | undefined)[]; gone: JournalStep[]; at: number } {
  const n = statements.length;
  const m = previous.length;
  let p = 0;
  while (p < n && p < m && previous[p].tree === statements[p].ast) p++;
  let s = 0;
  while (s < n - p && s < m - p && previous[m - 1 - s].tree === statements[n - 1 - s].ast) s++;
  const pairs: (JournalStep | undefined)[] = new Array<JournalStep | undefined>(n);
  for (let i = 0; i < n; i++)
    pairs[i] = i < p ? previous[i] : i >= n - s ? previous[i - n + m] : undefined;
  return { pairs, gone: previous.slice(p, m - s), at: p };
}

export function sameTx(a: TxState, b: TxState): boolean {
  return a.inTransaction === b.inTransaction && a.explicit === b.explicit && a.reason === b.reason;
}

export function sameSession(a: SessionState, b: SessionState): boolean {
  return a.lockTimeout === b.lockTimeout && a.statementTimeout === b.statementTimeout;
}

/**
 * Whether a finding stays within its statement (`[start, end]` of `file`): only such findings
 * can be moved with the statement.
 */
export function withinStatement(v: Violation, file: string, start: number, end: number): boolean {
  const inside = (o: number) => o >= start && o <= end;
  if (v.file !== file || !inside(v.start) || !inside(v.end)) return false;
  for (const f of v.fixes)
    for (const e of f.edits)
      if (e.file !== file || e.createFile || !inside(e.start) || !inside(e.end)) return false;
  for (const r of v.related ?? [])
    if (r.file !== file || !inside(r.start) || !inside(r.end)) return false;
  return true;
}

/** A finding moved by `d` characters. */
export function moved(v: Violation, d: number): Violation {
  if (d === 0) return v;
  return {
    ...v,
    start: v.start + d,
    end: v.end + d,
    fixes: v.fixes.map((f) => ({
      ...f,
      edits: f.edits.map((e) => ({ ...e, start: e.start + d, end: e.end + d })),
    })),
    ...(v.related
      ? { related: v.related.map((r) => ({ ...r, start: r.start + d, end: r.end + d })) }
      : {}),
  };
}
