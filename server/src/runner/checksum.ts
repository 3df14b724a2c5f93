/**
 * pgmig's content hash of a migration, for runners that keep none: the SQL of its UP sections,
 * statement by statement, so that comment and blank-line edits do not count as changes.
 */
import { createHash } from 'node:crypto';
import { upSections, type Migration } from '../folder/model';
import { chunksOf } from './chunks';

export function contentHash(m: Migration): string {
  const h = createHash('sha256');
  for (const s of upSections(m))
    for (const c of chunksOf(s)) h.update(c.text.replace(/\r\n?/g, '\n')).update('\0');
  return h.digest('hex');
}

/** Hash of the first `n` statements a direction runs, to tell whether a retry may skip them. */
export function prefixHash(m: Migration, direction: 'up' | 'down', n: number): string {
  const h = createHash('sha256');
  const sections = m.sections.filter((s) => s.kind === direction);
  let left = n;
  for (const s of sections)
    for (const c of chunksOf(s)) {
      if (left-- <= 0) return h.digest('hex');
      h.update(c.text.replace(/\r\n?/g, '\n')).update('\0');
    }
  return h.digest('hex');
}
