// Where the shared migration corpus is: PGMIG_CORPUS, beside this checkout, or /work/shared.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function findCorpus(root) {
  return [process.env.PGMIG_CORPUS, resolve(root, '../shared/corpus'), '/work/shared/corpus']
    .filter(Boolean)
    .find((p) => existsSync(join(p, 'manifest.json')));
}

/** The corpus folder; a benchmark without it says so and exits 2. */
export function corpusOrExit(root) {
  const corpus = findCorpus(root);
  if (!corpus) {
    console.error('corpus not found: set PGMIG_CORPUS to the folder holding manifest.json');
    process.exit(2);
  }
  return corpus;
}
