/**
 * Test helpers: lint SQL given as a string or as a whole folder written to a temporary directory,
 * apply a fix's edits, and check the round trip that every fix must pass.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultSettings, type Settings } from '../../../server/src/config/settings';
import { loadFolder, loadSingleFile } from '../../../server/src/folder/load';
import type { FormatId, MigrationFolder } from '../../../server/src/folder/model';
import { applyEditGroups } from '../../../server/src/linter/applyEdits';
import { lintFolder, lintMigration } from '../../../server/src/linter/lint';
import type { Edit, Fix, Violation } from '../../../server/src/linter/types';
import { initParser } from '../../../server/src/parser/parse';
import { Catalog } from '../../../server/src/schema/catalog';

export { initParser };

export function settings(over: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), ...over };
}

/** Lints one standalone file (format from its markers; `-- UP` etc.). */
export function lintText(
  sql: string,
  over: Partial<Settings> & { path?: string; format?: FormatId } = {},
): Violation[] {
  const m = loadSingleFile(over.path ?? '/virtual/0001_test.sql', sql, over.format);
  return lintMigration(m, new Catalog(), { settings: settings(over) });
}

export function rulesOf(vs: Violation[]): string[] {
  return vs.map((v) => v.rule);
}

export function only(vs: Violation[], rule: string): Violation[] {
  return vs.filter((v) => v.rule === rule);
}

/** Writes files (relative path → content) under a fresh temporary folder and returns its path. */
export function writeFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgmig-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

export function lintDir(
  root: string,
  over: Partial<Settings> = {},
): { folder: MigrationFolder; violations: Violation[] } {
  const s = settings(over);
  const folder = loadFolder(root, { format: s.format });
  return { folder, violations: lintFolder(folder, { settings: s }) };
}

/** Applies edits to files on disk (creating files where asked), last edit first per file. */
export function applyEdits(edits: Edit[]): void {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  const { texts, skipped } = applyEditGroups([edits], read);
  if (skipped.length > 0)
    throw new Error(`fix not applicable (overlap or overwrite): ${JSON.stringify(skipped)}`);
  for (const [file, text] of texts) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Applies edits to an in-memory text (single-file fixes). */
export function applyToText(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function preferred(v: Violation): Fix {
  const f = v.fixes.find((x) => x.preferred);
  if (!f) throw new Error(`no preferred fix for ${v.rule}: ${v.message}`);
  return f;
}

/**
 * The round trip every fix must pass on a folder: apply it, reload, re-lint — no syntax error, the
 * fixed violation gone, no new error. Returns the violations after the fix.
 */
export function roundTripFolder(
  root: string,
  rule: string,
  over: Partial<Settings> = {},
): Violation[] {
  const before = lintDir(root, over).violations;
  const target = before.find((v) => v.rule === rule && v.fixes.some((f) => f.preferred));
  if (!target)
    throw new Error(`no fixable ${rule} in ${root}: ${before.map((v) => v.rule).join(', ')}`);
  applyEdits(preferred(target).edits);
  const after = lintDir(root, over).violations;
  const countBefore = before.filter((v) => v.rule === rule).length;
  const countAfter = after.filter((v) => v.rule === rule).length;
  if (after.some((v) => v.rule === 'syntax-error'))
    throw new Error(`fix produced a syntax error: ${JSON.stringify(after)}`);
  if (countAfter >= countBefore) throw new Error(`fix did not remove ${rule}`);
  const newErrors = after.filter(
    (v) => v.severity === 'error' && !before.some((b) => b.rule === v.rule),
  );
  if (newErrors.length)
    throw new Error(`fix introduced errors: ${newErrors.map((v) => v.rule).join(', ')}`);
  return after;
}
