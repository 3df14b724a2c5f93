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
 * `compute` for lists of file ranges inside the statement (or undefined): computed once per tree
 * and moved to where the statement is now. The moved copy replaces the one kept: a tree is at one
 * place in the current text, and two copies per statement would double what every edit leaves to
 * the garbage collector.
 */
export function memoRanges<T extends Positioned, A extends unknown[], R extends T[] | undefined>(
  compute: (s: Statement, ...args: A) => R,
): (s: Statement, ...args: A) => R {
  const byTree = new WeakMap<object, { start: number; items: R }>();
  return (s, ...args) => {
    const key = keyOf(s);
    const hit = byTree.get(key);
    if (hit && hit.start === s.start) return hit.items;
    let items: R;
    if (!hit) items = compute(s, ...args);
    else {
      const d = s.start - hit.start;
      items = hit.items
        ? (hit.items.map((t) => ({ ...t, start: t.start + d, end: t.end + d })) as R)
        : hit.items;
    }
    byTree.set(key, { start: s.start, items });
    return items;
  };
}
