/**
 * Where the shared corpus of real migrations is, and its projects. The corpus is used by path,
 * never copied into the repository.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CorpusProject {
  repo: string;
  format_family: string;
  source_dirs: string[];
  files: number;
  up_files: number;
  down_files: number;
  corpus_dir: string;
}

const CANDIDATES = [
  process.env.PGMIG_CORPUS,
  resolve(__dirname, '../../../shared/corpus'),
  '/work/shared/corpus',
].filter((p): p is string => !!p);

export const CORPUS_DIR = CANDIDATES.find((p) => existsSync(join(p, 'manifest.json')));

export function corpusProjects(): CorpusProject[] {
  if (!CORPUS_DIR) {
    throw new Error(
      `corpus not found (looked in ${CANDIDATES.join(', ')}); set PGMIG_CORPUS to its folder`,
    );
  }
  const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8'));
  return manifest.projects as CorpusProject[];
}

export function projectDirs(p: CorpusProject): string[] {
  return p.source_dirs.map((d) => join(CORPUS_DIR!, p.corpus_dir, d));
}

/** Every .sql file under a folder. */
export function sqlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sql')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
