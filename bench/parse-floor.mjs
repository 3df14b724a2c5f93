// The least any linter built on libpg-query can spend on the corpus: start Node, load the parser,
// read every file and parse it once with parseSync (the tree as JSON, which every rule needs).
// No linting. `npm run bench` runs it as a child process, timed like pgmig and squawk, with one
// process and with a worker thread per core (as `pgmig lint` does).
//   node bench/parse-floor.mjs [--workers N] file…   (file names also come on stdin, one per line)
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { loadModule, parseSync } from 'libpg-query';

async function parseAll(files) {
  await loadModule();
  let statements = 0;
  let rejected = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (text.trim() === '') continue;
    try {
      statements += parseSync(text).stmts?.length ?? 0;
    } catch {
      rejected++;
    }
  }
  return { statements, rejected };
}

if (!isMainThread) {
  parentPort.postMessage(await parseAll(workerData.files));
} else {
  const args = process.argv.slice(2);
  const at = args.indexOf('--workers');
  const workers = at >= 0 ? Number(args.splice(at, 2)[1]) : 1;
  const files = args.length > 0 ? args : readFileSync(0, 'utf8').split('\n').filter(Boolean);
  let result;
  if (workers <= 1) result = await parseAll(files);
  else {
    // every other file to each worker: the folders' sizes differ a lot
    const parts = Array.from({ length: workers }, (_, w) =>
      files.filter((_, i) => i % workers === w),
    );
    const results = await Promise.all(
      parts.map(
        (part) =>
          new Promise((resolve, reject) => {
            const w = new Worker(fileURLToPath(import.meta.url), { workerData: { files: part } });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    result = results.reduce((a, b) => ({
      statements: a.statements + b.statements,
      rejected: a.rejected + b.rejected,
    }));
  }
  console.log(JSON.stringify(result));
}
