/** Copies of the fixture folders and corpus projects in temp dirs (runs write .pgmig/ there). */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../corpus/corpus';

export const FIXTURES = join(__dirname, '../fixtures');

const made: string[] = [];

export function tempDir(prefix = 'pgmig-db-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function fixture(name: string): string {
  const d = join(tempDir(), name);
  cpSync(join(FIXTURES, name), d, { recursive: true });
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function corpusDir(rel: string): string {
  if (!CORPUS_DIR) throw new Error('the migration corpus is not found; set PGMIG_CORPUS');
  return join(CORPUS_DIR, rel);
}

/**
 * crates.io's diesel migrations as the project has them: the corpus keeps only the .sql files,
 * so the metadata.toml (run_in_transaction = false) of the migrations that build or drop an index
 * CONCURRENTLY is written back.
 */
export function cratesIo(): string {
  const d = join(tempDir(), 'migrations');
  cpSync(corpusDir('rust-lang__crates.io/migrations'), d, { recursive: true });
  for (const m of readdirSync(d)) {
    const sql = ['up.sql', 'down.sql']
      .map((f) => join(d, m, f))
      .filter(existsSync)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    if (/\b(create|drop)\s+(unique\s+)?index\s+concurrently\b/i.test(sql))
      writeFileSync(join(d, m, 'metadata.toml'), 'run_in_transaction = false\n');
  }
  return d;
}
