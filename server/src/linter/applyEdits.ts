/**
 * Applying fix edits to file texts in memory: per file from the last edit backwards, skipping
 * edits that overlap one already taken, never replacing an existing file with a created one.
 */
import type { Edit } from './types';

export interface AppliedEdits {
  /** New text per file path (created files included). */
  texts: Map<string, string>;
  /** Edits left out because they overlapped or would overwrite a file. */
  skipped: Edit[];
}

/**
 * @param read the current text of a file, or undefined when it does not exist.
 * @param groups edit groups (one per fix); a group is taken whole or not at all.
 */
export function applyEditGroups(
  groups: Edit[][],
  read: (file: string) => string | undefined,
): AppliedEdits & { applied: number } {
  const taken = new Map<string, Edit[]>();
  const skipped: Edit[] = [];
  let applied = 0;
  for (const group of groups) {
    const ok = group.every((e) => {
      const others = taken.get(e.file) ?? [];
      if (e.createFile) return read(e.file) === undefined && others.length === 0;
      return others.every(
        (o) =>
          !o.createFile &&
          (e.end <= o.start || e.start >= o.end) &&
          !(e.start === o.start && e.end === o.end),
      );
    });
    if (!ok) {
      skipped.push(...group);
      continue;
    }
    applied++;
    for (const e of group) taken.set(e.file, [...(taken.get(e.file) ?? []), e]);
  }
  const texts = new Map<string, string>();
  for (const [file, edits] of taken) {
    if (edits.some((e) => e.createFile)) {
      texts.set(file, edits.map((e) => e.newText).join(''));
      continue;
    }
    let text = read(file) ?? '';
    for (const e of [...edits].sort((a, b) => b.start - a.start))
      text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    texts.set(file, text);
  }
  return { texts, skipped, applied };
}
