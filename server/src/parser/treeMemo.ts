/**
 * Memos of what is worked out from one statement, kept across edits elsewhere in the file. The
 * incremental parser hands out a new Statement for every statement an edit moves, but the same
 * parse tree (the text did not change): keyed by the tree, a moved statement finds what was
 * computed for it before, and results holding file offsets are moved by the same distance.
 */
import type { Ast, Statement } from './parse';

// a statement without a tree object (never from the parser) is its own key
function keyOf(s: Statement): object {
  const a: Ast = s.ast;
  return typeof a === 'object' && a !== null ? a : s;
}

/** `compute` for results that do not depend on where the statement is in the file. */
export function memoByTree<T>(compute: (s: Statement) => T): (s: Statement) => T {
  const cache = new WeakMap<object, { value: T }>();
  return (s) => {
    const key = keyOf(s);
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = { value: compute(s) }));
    return hit.value;
  };
}

interface Positioned {
  start: number;
  end: number;
}

/**
 * `compute` for lists of file ranges inside the statement (or undefined): computed once per tree,
 * moved to where the statement is now. Each Statement gets one array, so callers may compare them.
 */
export function memoRanges<T extends Positioned, A extends unknown[], R extends T[] | undefined>(
  compute: (s: Statement, ...args: A) => R,
): (s: Statement, ...args: A) => R {
  const byTree = new WeakMap<object, { start: number; items: R }>();
  const byStatement = new WeakMap<Statement, { items: R }>();
  return (s, ...args) => {
    const mine = byStatement.get(s);
    if (mine) return mine.items;
    const key = keyOf(s);
    const hit = byTree.get(key);
    let items: R;
    if (!hit) {
      items = compute(s, ...args);
      byTree.set(key, { start: s.start, items });
    } else {
      const d = s.start - hit.start;
      items =
        d === 0 || !hit.items
          ? hit.items
          : (hit.items.map((t) => ({ ...t, start: t.start + d, end: t.end + d })) as R);
    }
    byStatement.set(s, { items });
    return items;
  };
}
