/**
 * DOWN generation over the whole corpus, without a database: for every migration, with the
 * schema model of the ones before it, generation never throws and the DOWN it writes is SQL
 * PostgreSQL's parser accepts (in each runner's own rendering). Whether the DOWN restores the
 * schema is proven by execution in test/db-downgen and bench:downgen.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDown } from '../../server/src/downgen/generate';
import { renderDown } from '../../server/src/downgen/render';
import { loadFolder } from '../../server/src/folder/load';
import { replayMigration } from '../../server/src/linter/lint';
import { initParser, parseSql } from '../../server/src/parser/parse';
import { Catalog } from '../../server/src/schema/catalog';
import { TextIndex } from '../../server/src/text/positions';
import { corpusProjects, projectDirs } from './corpus';

beforeAll(() => initParser());

describe.each(corpusProjects().map((p) => [p.repo, p] as const))('%s', (_name, project) => {
  it('every generated DOWN parses', () => {
    let generated = 0;
    for (const dir of projectDirs(project)) {
      const folder = loadFolder(dir);
      const catalog = new Catalog();
      for (const m of folder.migrations) {
        const up = m.sections.filter((s) => s.kind === 'up').flatMap((s) => s.parsed.statements);
        const text = renderDown(generateDown(up, catalog, { migrationId: m.id }), m.format);
        const errors = parseSql(new TextIndex(text)).errors.map((e) => e.message);
        expect(errors, `${m.label}:\n${text}`).toEqual([]);
        replayMigration(m, catalog);
        generated++;
      }
    }
    expect(generated).toBeGreaterThan(0);
  });
});
