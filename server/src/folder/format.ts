/**
 * What each runner format provides, and the helpers formats share: building sections from marker
 * comments and from whole files.
 */
import { parseSection } from '../parser/parse';
import { TextIndex } from '../text/positions';
import type {
  FormatId,
  Migration,
  Section,
  SectionKind,
  SourceFile,
  TransactionMode,
} from './model';

/** The files of a folder, as POSIX paths relative to its root, sorted. */
export interface Listing {
  root: string;
  files: string[];
  /** Reads a file relative to the root (cached). */
  read(rel: string): SourceFile;
  /** First few KB of a file, for detection without reading everything. */
  peek(rel: string): string;
}

export interface Detection {
  /** Higher wins; 0 means no match. Markers inside files weigh more than names. */
  score: number;
  reason: string;
}

export interface FormatHandler {
  id: FormatId;
  /** Whether this format keeps DOWN migrations at all. */
  hasDown: boolean;
  detect(listing: Listing): Detection | undefined;
  /** The folder's migrations, in the order the runner applies them. */
  load(listing: Listing): { migrations: Migration[]; ignored: string[] };
  /** Sections of one file seen on its own (stdin, or a file outside any folder). */
  sectionsOfFile?(file: SourceFile): Section[] | undefined;
  /** Where a DOWN for a file seen on its own goes, when not in the same file. */
  downTargetOf?(file: SourceFile): Migration['downTarget'];
  /**
   * Files of a new migration in this format's layout (absolute paths and contents). `up`/`down`
   * are SQL without markers; the format adds its own markers and transaction switches.
   */
  newMigration?(
    root: string,
    after: Migration,
    version: string,
    name: string,
    up: string,
    down: string | undefined,
    options: { transactional: boolean },
  ): Array<{ path: string; text: string }>;
}

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, index: new TextIndex(text) };
}

export function makeSection(
  file: SourceFile,
  kind: SectionKind,
  start: number,
  end: number,
  transaction: TransactionMode,
  transactionSource: string,
  marker?: { start: number; end: number },
): Section {
  return {
    kind,
    file,
    start,
    end,
    transaction,
    transactionSource,
    marker: marker && { ...marker, text: file.text.slice(marker.start, marker.end) },
    parsed: parseSection(file, start, end),
  };
}

export interface MarkerSpec {
  /** Matches a whole marker line (without its line break); returns the section kind and options. */
  match(line: string): { kind: SectionKind | 'ignore'; options: string } | undefined;
}

export interface MarkerSection {
  kind: SectionKind;
  marker: { start: number; end: number; text: string; options: string };
  /** Content range: from after the marker line to before the next marker line. */
  start: number;
  end: number;
}

/**
 * Splits a file at marker lines. Text before the first marker is returned as `preamble`.
 * Markers inside string literals are not special-cased: runners themselves match them line by line.
 */
export function splitByMarkers(
  file: SourceFile,
  spec: MarkerSpec,
): {
  sections: MarkerSection[];
  preamble: { start: number; end: number };
  ignoredLines: Array<{ start: number; end: number; options: string }>;
} {
  const { index } = file;
  const sections: MarkerSection[] = [];
  const ignoredLines: Array<{ start: number; end: number; options: string }> = [];
  let preambleEnd = file.text.length;
  for (let line = 0; line < index.lineCount; line++) {
    const ls = index.lineStart(line);
    const le = index.lineEnd(line);
    // cheap filter: markers are comments
    if (file.text.charCodeAt(skipSpaces(file.text, ls, le)) !== 45) continue;
    const m = spec.match(file.text.slice(ls, le));
    if (!m) continue;
    if (m.kind === 'ignore') {
      ignoredLines.push({ start: ls, end: le, options: m.options });
      continue;
    }
    const nextLine = line + 1 < index.lineCount ? index.lineStart(line + 1) : le;
    if (sections.length === 0) preambleEnd = ls;
    else sections[sections.length - 1].end = ls;
    sections.push({
      kind: m.kind,
      marker: { start: ls, end: le, text: file.text.slice(ls, le), options: m.options },
      start: nextLine,
      end: file.text.length,
    });
  }
  return { sections, preamble: { start: 0, end: preambleEnd }, ignoredLines };
}

function skipSpaces(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** Splits `name` like `20240101120000_add_users` into version and name at the first `_`. */
export function versionAndName(base: string): { version: string; name: string } {
  const m = /^([0-9][0-9._-]*?)_+(.*)$/.exec(base);
  if (m) return { version: m[1], name: m[2] };
  return { version: base, name: base };
}

/** Natural comparison of version strings made of digit groups (Flyway 2.40.1 < 2.40.10). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._-]/);
  const pb = b.split(/[._-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (x === '') return -1;
    if (y === '') return 1;
    const nx = /^\d+$/.test(x) ? BigInt(x) : undefined;
    const ny = /^\d+$/.test(y) ? BigInt(y) : undefined;
    if (nx !== undefined && ny !== undefined) return nx < ny ? -1 : nx > ny ? 1 : 0;
    return x < y ? -1 : 1;
  }
  return 0;
}
