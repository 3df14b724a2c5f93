/**
 * Small helpers the file-name based formats share: whole-file sections, file names, and checking
 * for side files (configs, plans) that a partial listing may not include.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeSection, type Detection, type Listing } from '../format';
import type { Section, SectionKind, SourceFile, TransactionMode } from '../model';

/** The last path segment of a POSIX relative path. */
export function baseOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? rel : rel.slice(i + 1);
}

/** The directory part of a POSIX relative path ('' at the root). */
export function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

/** A section spanning the whole file (formats whose files are the sections). */
export function wholeFile(
  file: SourceFile,
  kind: SectionKind,
  transaction: TransactionMode,
  transactionSource: string,
): Section {
  return makeSection(file, kind, 0, file.text.length, transaction, transactionSource);
}

/**
 * Whether a side file exists: in the listing, or on disk when the listing is partial (a re-load of
 * a few edited files still needs the folder's metadata.toml, .conf or plan).
 */
export function hasFile(listing: Listing, listed: Set<string>, rel: string): boolean {
  return listed.has(rel) || existsSync(join(listing.root, rel));
}

/**
 * A name-based detection: `base` plus the share of candidate files that match, so a folder where
 * every file follows the convention beats one where a few happen to.
 */
export function nameScore(
  base: number,
  matched: number,
  total: number,
  reason: string,
): Detection | undefined {
  if (matched === 0) return undefined;
  return { score: base + matched / Math.max(1, total), reason: `${matched} ${reason}` };
}
