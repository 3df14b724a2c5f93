/**
 * Every project of the shared corpus, loaded folder by folder as pgmig would: the detected format
 * must be the project's runner, and the UP and DOWN sections must match the manifest's counts.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../../server/src/folder/load';
import type { FormatId, MigrationFolder } from '../../../server/src/folder/model';
import { initParser } from '../../../server/src/parser/parse';

import { CORPUS_DIR, corpusProjects } from '../../corpus/corpus';

// the shared corpus, wherever this checkout is (corpus.ts knows the places to look)
const CORPUS = CORPUS_DIR ?? join(__dirname, '../../../../shared/corpus');

interface Project {
  corpus_dir: string;
  format_family: string;
  source_dirs: string[];
  up_files: number;
  down_files: number;
}

const projects = corpusProjects() as unknown as Project[];

const FORMAT_OF_FAMILY: Record<string, FormatId> = {
  prisma: 'prisma',
  'popx-pairs': 'popx',
  'diesel-folder': 'diesel',
  flyway: 'flyway',
  goose: 'goose',
  // supabase/auth runs gobuffalo pop; its names carry no infix, but every file holds Go-template
  // placeholders ({{ index .Options "Namespace" }}) that only pop renders, which decides for popx
  // and its per-migration transaction over golang-migrate's single query
  'pop-up-only': 'popx',
  'golang-migrate': 'golang-migrate',
  'golang-migrate(up-only)': 'golang-migrate',
  dbmate: 'dbmate',
};

// In one-file formats (goose, dbmate) the manifest counts a DOWN only where the down section holds
// SQL: hatchet has 136 `-- +goose Down` markers of which 12 are empty, and every supabase/postgres
// `-- migrate:down` is empty. Where files are the sections, an empty file is a present DOWN (popx
// keeps many empty files on purpose) and the manifest counts files.
const MARKER_FORMATS = new Set<FormatId>(['goose', 'dbmate', 'plain', 'node-pg-migrate']);

function counts(folders: MigrationFolder[], format: FormatId): { up: number; down: number } {
  let up = 0;
  let down = 0;
  for (const f of folders)
    for (const m of f.migrations)
      for (const s of m.sections) {
        if (s.kind === 'up') up++;
        else if (!MARKER_FORMATS.has(format) || s.parsed.statements.length > 0) down++;
      }
  return { up, down };
}

beforeAll(() => initParser());

describe('corpus detection', () => {
  it('knows every format family of the manifest', () => {
    expect(projects.length).toBeGreaterThan(0);
    for (const p of projects)
      expect(FORMAT_OF_FAMILY[p.format_family], p.format_family).toBeDefined();
  });

  for (const p of projects) {
    it(`${p.corpus_dir}: ${p.format_family}`, () => {
      const expected = FORMAT_OF_FAMILY[p.format_family];
      const problems = new Map<string, string>();
      const folders = p.source_dirs.map((d) =>
        loadFolder(join(CORPUS, p.corpus_dir, d), {}, problems),
      );
      for (const f of folders) {
        expect(f.format, f.detectedBy).toBe(expected);
        expect(f.unknownLayout).toBe(false);
        // the corpus holds only the migrations themselves
        expect(f.ignoredFiles).toEqual([]);
      }
      expect(problems.size).toBe(0);
      expect(counts(folders, expected)).toEqual({ up: p.up_files, down: p.down_files });
    });
  }

  it('sends the corpus autocommit migrations as one query string, NO TRANSACTION ones statement by statement', () => {
    const kratos = loadFolder(join(CORPUS, 'ory__kratos/persistence/sql/migrations/sql'));
    const none = kratos.migrations.flatMap((m) =>
      m.sections.filter((s) => s.transaction === 'single-query').map((s) => s.file.path),
    );
    expect(none.length).toBeGreaterThan(0);
    expect(none.every((p) => p.includes('.autocommit.'))).toBe(true);
    const autocommitFiles = kratos.migrations.flatMap((m) =>
      m.files.filter((f) => f.path.includes('.autocommit.')),
    );
    expect(none).toHaveLength(autocommitFiles.length);

    const hatchet = loadFolder(
      join(CORPUS, 'hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations'),
    );
    const noTx = hatchet.migrations.filter((m) => m.sections[0].transaction === 'none');
    expect(noTx.length).toBeGreaterThan(0);
    for (const m of hatchet.migrations)
      expect(m.sections[0].transaction === 'none').toBe(
        /^\s*--\s*\+goose\s+NO\s+TRANSACTION\s*$/im.test(m.files[0].text),
      );
  });
});
