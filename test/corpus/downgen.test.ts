/**
 * DOWN generation over the whole corpus, without a database: for every migration, with the
 * schema model of the ones before it, generation never throws and the DOWN it writes is SQL
 * PostgreSQL's parser accepts (in each runner's own rendering). Whether the DOWN restores the
 * schema is proven by execution in test/db-downgen and bench:downgen. Each DOWN is also the one
 * the slow comparison of the whole model before and after every statement writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDown } from '../../server/src/downgen/generate';
import { renderDown } from '../../server/src/downgen/render';
import { loadFolder } from '../../server/src/folder/load';
import { replayMigration } from '../../server/src/linter/lint';
import { initParser, parseSql } from '../../server/src/parser/parse';
import { Catalog } from '../../server/src/schema/catalog';
import { TextIndex } from '../../server/src/text/positions';
// @ts-expect-error: plain JavaScript shared with the benchmark
import { buildMigration, corpusStatements } from '../../bench/lsp-files.mjs';
import { loadSingleFile } from '../../server/src/folder/load';
import { CORPUS_DIR, corpusProjects, projectDirs } from './corpus';

beforeAll(() => initParser());

describe.each(corpusProjects().map((p) => [p.repo, p] as const))('%s', (_name, project) => {
  it('every generated DOWN parses', () => {
    let generated = 0;
    for (const dir of projectDirs(project)) {
      const folder = loadFolder(dir);
      const catalog = new Catalog();
      for (const m of folder.migrations) {
        const up = m.sections.filter((s) => s.kind === 'up').flatMap((s) => s.parsed.statements);
        const plan = generateDown(up, catalog, { migrationId: m.id });
        // the fast path compares only what each statement wrote: it must miss nothing
        expect(plan, m.label).toEqual(
          generateDown(up, catalog, { migrationId: m.id, exhaustive: true }),
        );
        const text = renderDown(plan, m.format);
        const errors = parseSql(new TextIndex(text)).errors.map((e) => e.message);
        expect(errors, `${m.label}:\n${text}`).toEqual([]);
        replayMigration(m, catalog);
        generated++;
      }
    }
    expect(generated).toBeGreaterThan(0);
  });
});

describe('a long migration of corpus statements', () => {
  it('gets the DOWN the whole-model comparison writes', async () => {
    const pools = (await corpusStatements(CORPUS_DIR)) as string[][];
    // two mixes, so that tables are created, changed and dropped in different orders
    for (const shift of [0, 37]) {
      const rotated = pools.map((p) => p.slice(shift % p.length).concat(p));
      const m = loadSingleFile('/db/001_long.sql', buildMigration(rotated, 2000) as string);
      const up = m.sections.filter((s) => s.kind === 'up').flatMap((s) => s.parsed.statements);
      expect(up.length).toBe(2000);
      const plan = generateDown(up, new Catalog(), { migrationId: m.id });
      expect(plan.items.length).toBeGreaterThan(1500);
      expect(plan).toEqual(
        generateDown(up, new Catalog(), { migrationId: m.id, exhaustive: true }),
      );
    }
  }, 120_000);
});
