/**
 * Proof by execution, test tier: generated DOWN migrations are applied on the embedded database
 * and must give the schema back exactly. First on a folder written here (so the harness itself is
 * shown to tell a good DOWN from a bad one), then on a bounded part of the real corpus: wherever a
 * hand-written DOWN restores the schema, the generated one must too, and a generated DOWN without
 * TODOs must always restore it. The whole corpus runs in `npm run bench:downgen`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusProjects, projectDirs } from '../corpus/corpus';
import { writeFolder } from '../unit/helpers/lint';
import { proveFolder, reasonOf, type MigrationResult } from './proof';

describe('proof harness on a folder written here', () => {
  it('tells restoring DOWNs from the ones that do not, and says why', async () => {
    const root = writeFolder({
      '1_users.up.sql':
        "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL DEFAULT '');\n",
      '1_users.down.sql': 'DROP TABLE users;\n',
      '2_login.up.sql':
        'ALTER TABLE users ALTER COLUMN email TYPE text;\nCREATE INDEX users_email_idx ON users (lower(email));\n',
      // forgets the index and the type
      '2_login.down.sql': '-- nothing\n',
      '3_mood.up.sql': "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'ok';\n",
      '3_mood.down.sql': 'DROP TYPE mood;\n',
      '4_more.up.sql': "ALTER TYPE mood ADD VALUE 'happy';\n",
      '4_more.down.sql': '',
    });
    const r = await proveFolder(root, 'written');
    const by = (label: string) => r.migrations.find((m) => m.label === label) as MigrationResult;
    expect(r.format).toBe('golang-migrate');
    expect(by('1_users.up.sql')).toMatchObject({
      reversible: true,
      generatedRestores: true,
      reapplies: true,
      handRestores: true,
    });
    const login = by('2_login.up.sql');
    expect(login.generatedRestores).toBe(true);
    expect(login.handRestores).toBe(false);
    expect(login.handProblem).toContain(
      'column users.email type character varying(255) restored as text',
    );
    expect(login.handProblem).toContain('index users_email_idx left behind');
    expect(by('3_mood.up.sql')).toMatchObject({ generatedRestores: true, handRestores: true });
    const more = by('4_more.up.sql');
    expect(more).toMatchObject({
      reversible: false,
      generatedRestores: false,
      handRestores: false,
    });
    expect(reasonOf(more)).toBe('TODO: enum value added (PostgreSQL cannot drop it)');
  });
});

/** Projects with hand-written DOWNs, and how many of their migrations the test tier replays. */
const SUBSET: Record<string, number> = {
  authelia__authelia: 26,
  'rust-lang__crates.io': 150,
  ory__kratos: 150,
  ory__hydra: 120,
  'hatchet-dev__hatchet': 100,
};

const corpus = CORPUS_DIR && existsSync(join(CORPUS_DIR, 'manifest.json'));

describe.skipIf(!corpus)('proof on the corpus (bounded subset)', () => {
  const projects = corpus ? corpusProjects().filter((p) => SUBSET[p.corpus_dir]) : [];
  for (const p of projects) {
    it(
      `${p.corpus_dir}: the first ${SUBSET[p.corpus_dir]} migrations`,
      { timeout: 900_000 },
      async () => {
        const [dir] = projectDirs(p);
        const r = await proveFolder(dir, p.corpus_dir, { limit: SUBSET[p.corpus_dir] });
        const applied = r.migrations.filter((m) => !m.upError && !m.unproven);
        expect(applied.length).toBeGreaterThan(0);
        const missed = applied
          .filter((m) => m.handRestores && !m.generatedRestores)
          .map((m) => `${m.label}: ${m.generatedProblem ?? m.todos?.join('; ')}`);
        expect(missed, 'hand-written DOWN restores the schema, generated DOWN does not').toEqual(
          [],
        );
        const wrong = applied
          .filter((m) => m.reversible && !m.generatedRestores)
          .map((m) => `${m.label}: ${m.generatedProblem}`);
        expect(wrong, 'generated DOWN without TODOs does not restore the schema').toEqual([]);
        // (data a DOWN cannot take back, such as inserted rows, may keep the UP from re-applying)
        const noReapply = applied
          .filter((m) => m.reversible && m.generatedRestores && !m.reapplies)
          .map((m) => m.label);
        expect(noReapply, 'UP does not apply again after a complete generated DOWN').toEqual([]);
      },
    );
  }
});
