// Builds the language-server benchmark's migration files from real statements of the corpus:
// each corpus file is parsed with PostgreSQL's parser and its statements are taken round-robin
// across the projects, so a file mixes every project's style. Deterministic for a given corpus.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, parseSync } from 'libpg-query';

function sqlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sql')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Statements of one file as written (without the semicolon), or [] when it does not parse. */
function statementsOf(text) {
  let tree;
  try {
    tree = parseSync(text);
  } catch {
    return [];
  }
  const bytes = Buffer.from(text, 'utf8');
  const out = [];
  for (const s of tree.stmts ?? []) {
    const kind = Object.keys(s.stmt ?? {})[0];
    // transaction control would change how every later statement is judged
    if (!kind || kind === 'TransactionStmt') continue;
    const from = s.stmt_location ?? 0;
    const to = s.stmt_len ? from + s.stmt_len : bytes.length;
    const sql = bytes.subarray(from, to).toString('utf8').trim();
    if (sql.length > 0 && sql.length <= 2000) out.push(sql);
  }
  return out;
}

/** Statement pools per project, in file order. */
export async function corpusStatements(corpus) {
  await loadModule();
  const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8'));
  const pools = [];
  for (const p of manifest.projects) {
    const pool = [];
    for (const d of p.source_dirs)
      for (const f of sqlFiles(join(corpus, p.corpus_dir, d))) {
        const text = readFileSync(f, 'utf8');
        if (text.includes('{{')) continue;
        pool.push(...statementsOf(text));
      }
    if (pool.length > 0) pools.push(pool);
  }
  return pools;
}

/** A goose migration of `count` corpus statements. */
export function buildMigration(pools, count) {
  const lines = ['-- +goose Up', ''];
  const next = pools.map(() => 0);
  for (let n = 0, p = 0; n < count; p = (p + 1) % pools.length) {
    const pool = pools[p];
    lines.push(`${pool[next[p] % pool.length]};`, '');
    next[p]++;
    n++;
  }
  return lines.join('\n');
}
