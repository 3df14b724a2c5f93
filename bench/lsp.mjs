// Language-server latency: pgmig's built server (dist/server.js) beside squawk 2.66's
// (`squawk server`), both driven over stdio by the same LSP client on the same files built from
// corpus statements (2,000 and 7,500 statements). Measures didOpen → diagnostics, one-character
// edits → updated diagnostics (p50/p95; inserting a character into a statement, then deleting
// it), and the server's peak resident memory (VmHWM).
//   npm run bench:lsp                   (builds first)
//   BENCH_EDITS=100 BENCH_SQUAWK_EDITS=10 BENCH_SIZES=2000 npm run bench:lsp
//   BENCH_SQUAWK=0 npm run bench:lsp    (pgmig only)
//   BENCH_RULES_OFF=prefer-text-field BENCH_SERVER=/other/dist/server.js node bench/lsp.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusOrExit } from './corpus.mjs';
import { buildMigration, corpusStatements } from './lsp-files.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');

const sizes = (process.env.BENCH_SIZES ?? '2000,7500').split(',').map(Number);
const editsFor = (n) => Number(process.env.BENCH_EDITS ?? (n > 5000 ? 60 : 100));
const squawkEditsFor = (n) => Number(process.env.BENCH_SQUAWK_EDITS ?? (n > 5000 ? 6 : 20));
const withSquawk = process.env.BENCH_SQUAWK !== '0';
const TIMEOUT_MS = 120_000;

function squawkBinary() {
  const pkg = dirname(require.resolve('squawk-cli/package.json'));
  return [
    join(pkg, '..', '@squawk-cli', 'linux-x64', 'bin', 'squawk'),
    join(pkg, 'node_modules', '@squawk-cli', 'linux-x64', 'bin', 'squawk'),
  ].find(existsSync);
}

/** Peak resident set size of a process, in MB (Linux /proc). */
function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function positionAt(text, offset) {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

/** Offsets inside statements (after a letter), where typing changes a statement. */
function editOffsets(text, count, seed) {
  const rand = rng(seed);
  const out = [];
  while (out.length < count) {
    const at = Math.floor(rand() * text.length);
    if (/[a-z_]/i.test(text[at - 1] ?? '') && /[a-z_ (,;]/i.test(text[at] ?? '')) out.push(at);
  }
  return out;
}

/** Size of a diagnostics message as JSON, and the median time to encode and to decode it. */
function sizeOf(message) {
  const enc = [];
  const dec = [];
  let json = '';
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    json = JSON.stringify(message);
    enc.push(performance.now() - t);
    t = performance.now();
    JSON.parse(json);
    dec.push(performance.now() - t);
  }
  return {
    bytes: Buffer.byteLength(json),
    encodeMs: percentile(enc, 50),
    decodeMs: percentile(dec, 50),
  };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer in ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Drives one server. `pull`: the server answers textDocument/diagnostic (squawk); otherwise it
 * publishes, and the client waits for the diagnostics of the version it sent.
 */
async function measure(name, command, args, folder, file, text, edits) {
  const child = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: folder,
    env: { ...process.env, PGMIG_LSP_TIMING: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const uri = pathToFileURL(file).href;
  const waiting = new Map();
  let lastMessage;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    lastMessage = p;
    const w = waiting.get(p.version);
    if (w) {
      waiting.delete(p.version);
      w(p.diagnostics.length);
    }
  });
  // pgmig logs where each lint's time went: loading the edited migration, the engine, publishing
  const phases = [];
  conn.onNotification('window/logMessage', (p) => {
    const m = /^timing .*in ([\d.]+) ms \(load ([\d.]+), engine ([\d.]+), publish ([\d.]+)\)/.exec(
      p.message,
    );
    if (m) phases.push({ load: Number(m[2]), engine: Number(m[3]), publish: Number(m[4]) });
    if (process.env.BENCH_LOG) console.error(p.message);
  });
  conn.onRequest(() => null);
  conn.onNotification(() => undefined);
  conn.listen();
  try {
    const init = await withTimeout(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(folder).href,
        workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'bench' }],
        capabilities: {
          textDocument: { publishDiagnostics: { versionSupport: true }, diagnostic: {} },
          workspace: { configuration: false, workspaceEdit: { documentChanges: true } },
        },
      }),
      `${name} initialize`,
    );
    conn.sendNotification('initialized', {});
    const pull = !!init.capabilities.diagnosticProvider && name.startsWith('squawk');
    const diagnosticsOf = (version) =>
      pull
        ? conn
            .sendRequest('textDocument/diagnostic', { textDocument: { uri } })
            .then((r) => r.items.length)
        : new Promise((res) => waiting.set(version, res));

    let version = 1;
    let t0 = performance.now();
    let wait = diagnosticsOf(version);
    conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version, text },
    });
    if (pull) wait = diagnosticsOf(version);
    const findings = await withTimeout(wait, `${name} first diagnostics`);
    const first = performance.now() - t0;
    // what every edit sends whole (publishDiagnostics replaces the set): its size, and what
    // encoding and decoding it costs, outside the timed edits
    const message = lastMessage && sizeOf(lastMessage);

    const times = [];
    let current = text;
    let inserted;
    for (const at of edits) {
      version++;
      let change;
      if (inserted === undefined) {
        change = {
          range: { start: positionAt(current, at), end: positionAt(current, at) },
          text: 'x',
        };
        current = `${current.slice(0, at)}x${current.slice(at)}`;
        inserted = at;
      } else {
        const s = positionAt(current, inserted);
        const e = positionAt(current, inserted + 1);
        change = { range: { start: s, end: e }, text: '' };
        current = current.slice(0, inserted) + current.slice(inserted + 1);
        inserted = undefined;
      }
      t0 = performance.now();
      wait = pull ? undefined : diagnosticsOf(version);
      conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [change],
      });
      await withTimeout(wait ?? diagnosticsOf(version), `${name} diagnostics after edit`);
      times.push(performance.now() - t0);
    }
    const rss = peakRssMb(child.pid);
    await withTimeout(conn.sendRequest('shutdown'), `${name} shutdown`).catch(() => undefined);
    conn.sendNotification('exit');
    await new Promise((res) => {
      if (child.exitCode !== null) res();
      child.once('exit', res);
      setTimeout(res, 5000);
    });
    return { first, findings, times, rss, phases, message };
  } catch (e) {
    throw new Error(`${e.message}\n${name} stderr: ${stderr}`);
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill();
  }
}

const corpus = corpusOrExit(root);
const server = process.env.BENCH_SERVER ?? join(root, 'dist', 'server.js');
if (!existsSync(server)) {
  console.error('dist/server.js is missing: run npm run build');
  process.exit(2);
}
const squawk = withSquawk ? squawkBinary() : undefined;
const pools = await corpusStatements(corpus);
const work = mkdtempSync(join(tmpdir(), 'pgmig-bench-lsp-'));
const fmt = (ms) => (Number.isFinite(ms) ? `${ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms` : '—');
const rows = [];
try {
  for (const n of sizes) {
    const folder = join(work, `s${n}`);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, '20240101000000_bench.sql');
    const text = buildMigration(pools, n);
    writeFileSync(file, text);
    // BENCH_RULES_OFF=a,b: a pgmig.json that turns these rules off (to see what they cost)
    const off = (process.env.BENCH_RULES_OFF ?? '').split(',').filter(Boolean);
    if (off.length > 0)
      writeFileSync(
        join(folder, 'pgmig.json'),
        JSON.stringify({ rules: Object.fromEntries(off.map((r) => [r, 'off'])) }),
      );
    const edits = editOffsets(text, editsFor(n), n);
    console.log(
      `${n} statements, ${Buffer.byteLength(text)} bytes (goose migration of corpus statements)`,
    );
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const p = await measure(
      'pgmig',
      process.execPath,
      [...nodeArgs, server, '--stdio'],
      folder,
      file,
      text,
      edits,
    );
    rows.push({ n, name: 'pgmig', ...p });
    if (squawk) {
      const s = await measure(
        'squawk 2.66',
        squawk,
        ['server'],
        folder,
        file,
        text,
        edits.slice(0, squawkEditsFor(n)),
      );
      rows.push({ n, name: 'squawk 2.66', ...s });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('');
console.log(
  `${'statements'.padEnd(11)}${'server'.padEnd(13)}${'first'.padStart(10)}${'edit p50'.padStart(11)}${'edit p95'.padStart(11)}${'edits'.padStart(7)}${'peak RSS'.padStart(10)}${'findings'.padStart(10)}`,
);
for (const r of rows)
  console.log(
    `${String(r.n).padEnd(11)}${r.name.padEnd(13)}${fmt(r.first).padStart(10)}${fmt(percentile(r.times, 50)).padStart(11)}${fmt(percentile(r.times, 95)).padStart(11)}${String(r.times.length).padStart(7)}${`${r.rss.toFixed(0)} MB`.padStart(10)}${String(r.findings).padStart(10)}`,
  );
console.log('');
for (const r of rows.filter((x) => x.phases?.length > 1)) {
  const edits = r.phases.slice(1);
  const med = (k) =>
    percentile(
      edits.map((p) => p[k]),
      50,
    );
  console.log(
    `${r.name} ${r.n}: inside the server, first lint: load ${fmt(r.phases[0].load)}, engine ${fmt(r.phases[0].engine)}, publish ${fmt(r.phases[0].publish)}; per edit (median): load ${fmt(med('load'))}, engine ${fmt(med('engine'))}, publish ${fmt(med('publish'))}`,
  );
}
for (const r of rows.filter((x) => x.message))
  console.log(
    `${r.name} ${r.n}: diagnostics message ${(r.message.bytes / 1e6).toFixed(2)} MB as JSON, sent whole after every edit: encoding ${fmt(r.message.encodeMs)}, decoding ${fmt(r.message.decodeMs)} (JSON.stringify / JSON.parse here)`,
  );
console.log('');
console.log(
  'targets (pgmig): 2,000 statements first ≤ 150 ms, edit p95 ≤ 30 ms; 7,500 statements first ≤ 500 ms, edit p95 ≤ 60 ms, peak ≤ 250 MB',
);
