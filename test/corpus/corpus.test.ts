/**
 * The whole corpus of real migrations: every file is processed without a crash, files that
 * PostgreSQL's parser accepts get no syntax-error finding, and every preferred fix round-trips
 * (apply, re-parse, re-lint: no syntax error, that violation gone, no new error).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings } from '../../server/src/config/settings';
import { loadFolder } from '../../server/src/folder/load';
import { loadMigrationsOf } from '../../server/src/folder/partial';
import type { Migration, MigrationFolder } from '../../server/src/folder/model';
import { applyEditGroups } from '../../server/src/linter/applyEdits';
import { lintMigration } from '../../server/src/linter/lint';
import type { Edit, Violation } from '../../server/src/linter/types';
import { initParser, isValidSql } from '../../server/src/parser/parse';
import { Catalog } from '../../server/src/schema/catalog';
import { corpusProjects, projectDirs, sqlFilesUnder } from './corpus';

beforeAll(() => initParser());

const options = { settings: defaultSettings() };

interface Linted {
  folder: MigrationFolder;
  before: Catalog[];
  violations: Violation[][];
}

function lintWithSnapshots(dir: string): Linted {
  const folder = loadFolder(dir);
  const catalog = new Catalog();
  const before: Catalog[] = [];
  const violations: Violation[][] = [];
  for (const m of folder.migrations) {
    before.push(catalog.clone());
    violations.push(lintMigration(m, catalog, options, folder));
  }
  return { folder, before, violations };
}

function applyInMemory(m: Migration, edits: Edit[]): Map<string, string> {
  const own = new Map(m.files.map((f) => [f.path, f.text]));
  for (const e of edits)
    if (!e.createFile && !own.has(e.file))
      throw new Error(`fix edits a file outside its migration: ${e.file}`);
  const { texts, skipped } = applyEditGroups([edits], (file) => own.get(file));
  if (skipped.length > 0) throw new Error(`fix has overlapping edits: ${JSON.stringify(skipped)}`);
  return new Map([...own, ...texts]);
}

const projects = corpusProjects();

describe.each(projects.map((p) => [p.repo, p] as const))('%s', (_name, project) => {
  const dirs = projectDirs(project);

  it('processes every file without a crash, and only files PostgreSQL rejects get syntax-error', () => {
    for (const dir of dirs) {
      const { folder, violations } = lintWithSnapshots(dir);
      const seen = new Set<string>();
      for (const m of folder.migrations) for (const f of m.files) seen.add(f.path);
      for (const f of folder.ignoredFiles) seen.add(join(folder.root, f));
      for (const f of sqlFilesUnder(dir))
        expect(seen, `${f} neither linted nor ignored`).toContain(f);

      const syntaxFiles = new Set(
        violations
          .flat()
          .filter((v) => v.rule === 'syntax-error')
          .map((v) => v.file),
      );
      for (const m of folder.migrations)
        for (const f of m.files) {
          if (isValidSql(readFileSync(f.path, 'utf8'))) {
            expect(syntaxFiles.has(f.path), `${f.path} is valid SQL but got syntax-error`).toBe(
              false,
            );
          }
        }
    }
  });

  it('every preferred fix round-trips', async () => {
    let checked = 0;
    for (const dir of dirs) {
      const { folder, before, violations } = lintWithSnapshots(dir);
      for (const [i, m] of folder.migrations.entries()) {
        // minutes of synchronous work would starve vitest's worker RPC: let it breathe
        await new Promise((r) => setImmediate(r));
        for (const v of violations[i]) {
          const fix = v.fixes.find((f) => f.preferred);
          if (!fix) continue;
          const texts = applyInMemory(m, fix.edits);
          const fixed = loadMigrationsOf(folder, [...texts.keys()], texts);
          const catalog = before[i].clone();
          const after = fixed.flatMap((mm) => lintMigration(mm, catalog, options, folder));
          const where = `${v.rule} at ${v.file}:${v.start} (${fix.title})`;
          const syntaxBefore = violations[i].filter((x) => x.rule === 'syntax-error').length;
          expect(
            after.filter((x) => x.rule === 'syntax-error').length,
            `${where}: syntax error after fix`,
          ).toBeLessThanOrEqual(syntaxBefore);
          const count = (vs: Violation[]) => vs.filter((x) => x.rule === v.rule).length;
          expect(count(after), `${where}: violation not gone`).toBeLessThan(count(violations[i]));
          const rulesBefore = new Set(violations[i].map((x) => x.rule));
          const newErrors = after.filter((x) => x.severity === 'error' && !rulesBefore.has(x.rule));
          expect(
            newErrors.map((x) => `${x.rule}: ${x.message}`),
            `${where}: new errors`,
          ).toEqual([]);
          checked++;
        }
      }
    }
    console.log(`${project.repo}: ${checked} preferred fixes round-tripped`);
  });
});
