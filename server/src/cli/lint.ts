/**
 * `pgmig lint [paths…|-]`: folders are linted as migration directories with their schema model,
 * files with the schema model of the migrations before them, `-` reads SQL from stdin.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, loadSettings } from '../config/load';
import type { Settings } from '../config/settings';
import {
  folderOfFile,
  isDirectory,
  loadFolder,
  loadSingleFile,
  type ReadProblems,
} from '../folder/load';
import { FORMAT_IDS, type SourceFile } from '../folder/model';
import { decodeSql, readSqlFile, type ReadResult } from '../folder/read';
import { initParser } from '../parser/parse';
import { activeRules, lintFolder, lintMigration, type LintOptions } from '../linter/lint';
import type { Severity, Violation } from '../linter/types';
import { RULES } from '../rules';
import { Catalog } from '../schema/catalog';
import { locate, SEVERITY_RANK, type Finding } from './findings';
import { formatGithub } from './reporters/github';
import { formatJson } from './reporters/json';
import { formatSarif } from './reporters/sarif';
import { formatText, summaryLine } from './reporters/text';
import { fixPass, MAX_FIX_PASSES, STDIN } from './fix';
import { writeChunks, type Io } from './io';
import { closeMatches } from './suggest';
import { lintShare, runInWorkers, shouldParallelize, type ShareResult } from './parallel';
import { openCache } from './cache';
import { DbError } from '../db/errors';
import { openDatabase } from '../db/open';
import { resolveConnection } from '../db/resolve';
import { ConnectionStringError } from '../db/url';
import type { TableSize } from '../linter/tableSize';
import { loadRunnerConfig } from '../runner/config';
import { sizesOn } from '../trace/size';
import { migrationFormatArg, parseCommandArgs, UsageError } from './args';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

export interface Target {
  kind: 'folder' | 'files' | 'stdin';
  /** Folder root (absolute) for folder and files targets. */
  root?: string;
  /** The path as given, for folder targets. */
  given?: string;
  /** Absolute path → as given, for files targets. */
  files?: Map<string, string>;
  /** Why stdin's text is not exactly what was read (binary, invalid UTF-8). */
  problem?: string;
}

export interface RunResult {
  violations: Violation[];
  sources: Map<string, SourceFile>;
  display: (abs: string) => string;
  files: number;
  migrations: number;
  statements: number;
  /** Files read with a problem (binary, invalid UTF-8), which fixes must not rewrite. */
  unreadable?: Set<string>;
  /** Folders given as they were given, in which no migration was found. */
  emptyFolders?: string[];
}

export async function lintCommand(argv: string[], io: Io, version: string): Promise<number> {
  const parsed = parseCommandArgs('lint', argv, io, LINT_HELP, {
    format: { type: 'string', default: 'text' },
    'pg-version': { type: 'string' },
    fix: { type: 'boolean', default: false },
    config: { type: 'string' },
    rule: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    'fail-on': { type: 'string', default: 'warning' },
    'migration-format': { type: 'string' },
    stats: { type: 'boolean', default: false },
    'no-cache': { type: 'boolean', default: false },
    'cache-dir': { type: 'string' },
    db: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  const started = performance.now();
  try {
    const format = v.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const failOn = v['fail-on'] as Severity;
    if (!(failOn in SEVERITY_RANK))
      throw new UsageError('--fail-on must be error, warning, info or hint');
    const known = new Set(RULES.map((r) => r.id));
    const only = ruleList(v.rule, known);
    const exclude = ruleList(v.exclude, known);
    const overrides: Partial<Settings> = {};
    if (v['pg-version'] !== undefined) {
      const n = Number(v['pg-version']);
      if (!Number.isInteger(n) || n < 9 || n > 30)
        throw new UsageError('--pg-version must be a major version such as 16');
      overrides.pgVersion = n;
    }
    const forced = migrationFormatArg(v['migration-format']);
    if (forced) overrides.format = forced;
    const firstPath = positionals.find((p) => p !== '-');
    const configCwd = firstPath
      ? resolve(io.cwd, isDirectory(resolve(io.cwd, firstPath)) ? firstPath : dirname(firstPath))
      : io.cwd;
    const loaded = loadSettings({
      cwd: existsSync(configCwd) ? configCwd : io.cwd,
      configPath: v.config && resolve(io.cwd, v.config),
      overrides,
      knownRules: known,
    });
    for (const w of loaded.warnings) io.stderr.write(`pgmig: warning: ${w}\n`);
    const options: LintOptions = { settings: loaded.settings, only, exclude };
    if (v.db !== undefined)
      options.tableSizes = await sizesFrom(v.db, loaded.configFile, configCwd, io);

    const paths =
      positionals.length > 0
        ? positionals
        : loaded.settings.migrations.map((m) => relative(io.cwd, m) || '.');
    if (paths.length === 0)
      throw new UsageError(
        'no paths given and no "migrations" folders in pgmig.json (see pgmig lint --help)',
      );
    let ioError = false;
    const targets: Target[] = [];
    const byFolder = new Map<string, Target>();
    const folders = new Set<string>();
    let stdinText: string | undefined;
    let stdinRaw: Buffer | undefined;
    for (const p of paths) {
      if (p === '-') {
        if (stdinRaw) continue;
        stdinRaw = await readAll(io.stdin);
        const read: ReadResult = decodeSql(stdinRaw);
        stdinText = read.text;
        targets.push({ kind: 'stdin', problem: read.problem });
        continue;
      }
      const abs = resolve(io.cwd, p);
      if (!existsSync(abs)) {
        io.stderr.write(`pgmig: ${p}: no such file or directory\n`);
        ioError = true;
        continue;
      }
      if (isDirectory(abs)) {
        if (!folders.has(abs)) targets.push({ kind: 'folder', root: abs, given: p });
        folders.add(abs);
        continue;
      }
      if (!isRegularFile(abs)) {
        // reading a FIFO or a device would wait forever or never end
        io.stderr.write(`pgmig: ${p}: not a regular file or directory\n`);
        ioError = true;
        continue;
      }
      const root = folderOfFile(abs);
      let t = byFolder.get(root);
      if (!t) {
        t = { kind: 'files', root, files: new Map() };
        byFolder.set(root, t);
        targets.push(t);
      }
      t.files!.set(abs, p);
    }

    let findings: Finding[];
    let counts: { files: number; migrations: number; statements: number };
    let severities: Severity[];
    let emptyFolders: string[];
    let cacheHits = 0;
    if (v.fix) {
      await initParser();
      const run = (): RunResult => runTargets(targets, stdinText, options, io.cwd);
      let result = run();
      let total = 0;
      for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
        const fixed = fixPass({
          violations: result.violations,
          sources: result.sources,
          unsafe: result.unreadable ?? new Set(),
          stdinText: targets.some((t) => t.kind === 'stdin' && !t.problem) ? stdinText : undefined,
        });
        for (const e of fixed.errors) io.stderr.write(`pgmig: ${e}\n`);
        if (fixed.errors.length > 0) ioError = true;
        if (fixed.applied === 0) break;
        total += fixed.applied;
        stdinText = fixed.stdinText ?? stdinText;
        result = run();
        if (fixed.errors.length > 0) break;
      }
      io.stderr.write(`pgmig: applied ${total} fix${total === 1 ? '' : 'es'}\n`);
      if (stdinRaw) {
        // stdout is the fixed SQL, for pipes; what remains is reported on stderr
        const stdinTarget = targets.find((t) => t.kind === 'stdin');
        if (stdinTarget?.problem) io.stdout.write(stdinRaw);
        else io.stdout.write(stdinText ?? '');
        report(format, locateAll(result), io.stderr, io.stderr, version);
        return ioError ? 2 : exitFor(result.violations, failOn);
      }
      findings = locateAll(result);
      counts = result;
      severities = result.violations.map((x) => x.severity);
      emptyFolders = result.emptyFolders ?? [];
    } else {
      // sizes change under the same files: weighed findings are never cached
      const useCache = !v['no-cache'] && process.env.PGMIG_CACHE !== '0' && v.db === undefined;
      const cache = useCache
        ? openCache(resolve(io.cwd, v['cache-dir'] ?? join('.pgmig', 'cache')), options, io.cwd)
        : undefined;
      const shares: Array<ShareResult | undefined> = targets.map((t) => cache?.get(t));
      const todo = targets.flatMap((t, i) => (shares[i] ? [] : [i]));
      const todoTargets = todo.map((i) => targets[i]);
      // a run served entirely from the cache never needs PostgreSQL's parser
      if (todoTargets.length > 0) await initParser();
      const fresh = shouldParallelize(todoTargets)
        ? await runInWorkers(todoTargets, stdinText, options, io.cwd)
        : todoTargets.map((t) => lintShare([t], stdinText, options, io.cwd));
      todo.forEach((i, k) => {
        shares[i] = fresh[k];
        cache?.put(targets[i], fresh[k]);
      });
      const all = shares as ShareResult[];
      findings = [];
      severities = [];
      for (const r of all) {
        append(findings, r.findings);
        append(severities, r.severities);
      }
      counts = {
        files: all.reduce((a, r) => a + r.files, 0),
        migrations: all.reduce((a, r) => a + r.migrations, 0),
        statements: all.reduce((a, r) => a + r.statements, 0),
      };
      emptyFolders = all.flatMap((r) => r.emptyFolders ?? []);
      cacheHits = cache?.hits ?? 0;
    }
    for (const f of emptyFolders)
      io.stderr.write(`pgmig: warning: ${f}: no migration files found\n`);
    report(format, findings, io.stdout, io.stderr, version);
    if (v.stats) {
      const stats = {
        files: counts.files,
        migrations: counts.migrations,
        statements: counts.statements,
        findings: findings.length,
        ms: Math.round(performance.now() - started),
        cached: cacheHits,
      };
      io.stderr.write(`${JSON.stringify({ stats })}\n`);
    }
    if (ioError) return 2;
    return severities.some((x) => SEVERITY_RANK[x] >= SEVERITY_RANK[failOn]) ? 1 : 0;
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof ConfigError ||
      e instanceof ConnectionStringError ||
      e instanceof DbError
    ) {
      io.stderr.write(`pgmig: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** `--db`: the table sizes of a real server, to weigh findings by. */
async function sizesFrom(
  db: string,
  configFile: string | undefined,
  cwd: string,
  io: Io,
): Promise<Map<string, TableSize>> {
  const resolved = resolveConnection({
    db,
    named: loadRunnerConfig(configFile).connections,
    env: process.env,
    embeddedRoot: existsSync(cwd) ? cwd : io.cwd,
  });
  if (resolved.kind !== 'server')
    throw new UsageError(
      `--db weighs findings by the tables of a real server: give a postgres:// URL or a named connection, not ${db}`,
    );
  const database = await openDatabase(resolved, { applicationName: 'pgmig lint' });
  try {
    const sizes = await sizesOn(database).catch((e: unknown) => {
      throw e instanceof DbError
        ? e
        : new DbError(
            'other',
            `cannot read table sizes on ${resolved.label}: ${(e as Error).message}`,
          );
    });
    io.stderr.write(
      `pgmig: findings weighed by the sizes of ${sizes.size} table${sizes.size === 1 ? '' : 's'} on ${resolved.label}\n`,
    );
    return sizes;
  } finally {
    await database.close();
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function locateAll(result: RunResult): Finding[] {
  const out: Finding[] = [];
  for (const x of result.violations) out.push(locate(x, result.sources, result.display));
  return out;
}

function report(
  format: (typeof FORMATS)[number],
  findings: Finding[],
  out: Io['stdout'],
  err: Io['stderr'],
  version: string,
): void {
  if (format === 'json') writeChunks(out, formatJson(findings));
  else if (format === 'sarif') writeChunks(out, formatSarif(findings, RULES, version));
  else if (format === 'github') writeChunks(out, formatGithub(findings));
  else {
    writeChunks(out, formatText(findings));
    err.write(`${summaryLine(findings)}\n`);
  }
}

function exitFor(violations: Violation[], failOn: Severity): number {
  return violations.some((x) => SEVERITY_RANK[x.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

function ruleList(values: string[] | undefined, known: Set<string>): Set<string> | undefined {
  if (!values || values.length === 0) return undefined;
  const ids = values
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  for (const id of ids)
    if (!known.has(id)) {
      const near = closeMatches(id, [...known]);
      throw new UsageError(
        `unknown rule "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
      );
    }
  return new Set(ids);
}

/** Appends without spreading: a file can hold hundreds of thousands of findings. */
function append<T>(to: T[], items: T[]): void {
  for (const x of items) to.push(x);
}

function problemViolations(problems: ReadProblems, severity: Severity): Violation[] {
  return [...problems].map(([file, message]) => ({
    rule: 'syntax-error',
    severity,
    file,
    start: 0,
    end: 0,
    message,
    fixes: [],
  }));
}

/** Lints the targets in this thread. */
export function runTargets(
  targets: Target[],
  stdinText: string | undefined,
  options: LintOptions,
  cwd: string,
): RunResult {
  const violations: Violation[] = [];
  const sources = new Map<string, SourceFile>();
  const displayMap = new Map<string, string>();
  // folders (absolute → as given) that name the files under them, most specific first
  const displayRoots: Array<[string, string]> = [];
  const unreadable = new Set<string>();
  const emptyFolders: string[] = [];
  let files = 0;
  let migrations = 0;
  let statements = 0;
  // read problems are reported under syntax-error, with its configured severity
  const problemSeverity = activeRules(options).find((r) => r.rule.id === 'syntax-error')?.severity;
  const count = (
    ms: { files: SourceFile[]; sections: { parsed: { statements: unknown[] } }[] }[],
  ) => {
    for (const m of ms) {
      migrations++;
      for (const f of m.files) {
        if (!sources.has(f.path)) files++;
        sources.set(f.path, f);
      }
      for (const s of m.sections) statements += s.parsed.statements.length;
    }
  };
  const reportProblems = (problems: ReadProblems) => {
    for (const p of problems.keys()) unreadable.add(p);
    if (problemSeverity) append(violations, problemViolations(problems, problemSeverity));
  };
  for (const t of targets) {
    if (t.kind === 'stdin') {
      const m = loadSingleFile(STDIN, stdinText ?? '', options.settings.format);
      count([m]);
      append(violations, lintMigration(m, new Catalog(), options));
      displayMap.set(STDIN, STDIN);
      if (t.problem) reportProblems(new Map([[STDIN, t.problem]]));
      continue;
    }
    const problems: ReadProblems = new Map();
    const folder = loadFolder(t.root!, { format: options.settings.format }, problems);
    if (t.kind === 'folder') {
      count(folder.migrations);
      append(violations, lintFolder(folder, options));
      displayRoots.push([t.root!, t.given!]);
      if (folder.migrations.length === 0) emptyFolders.push(t.given!);
      // files read only to detect the layout are not linted, so their problems are not reported
      for (const p of [...problems.keys()]) if (!sources.has(p)) problems.delete(p);
    } else {
      const wanted = t.files!;
      const selected = new Set(
        folder.migrations.filter((m) => m.files.some((f) => wanted.has(f.path))),
      );
      count([...selected]);
      append(
        violations,
        lintFolder(folder, options, (m) => selected.has(m)),
      );
      const covered = new Set([...selected].flatMap((m) => m.files.map((f) => f.path)));
      for (const [abs, given] of wanted) {
        displayMap.set(abs, given);
        // the other files of a migration given by one of its files sit next to it
        displayRoots.push([dirname(abs), dirname(given)]);
        if (covered.has(abs)) continue;
        // not a migration of its folder's layout: lint it on its own
        let read: ReadResult;
        try {
          read = readSqlFile(abs);
        } catch (e) {
          read = { text: '', problem: `cannot read file: ${(e as Error).message}` };
        }
        if (read.problem) problems.set(abs, read.problem);
        const m = loadSingleFile(abs, read.text, options.settings.format);
        count([m]);
        append(violations, lintMigration(m, new Catalog(), options));
      }
      for (const p of [...problems.keys()])
        if (!wanted.has(p) && !covered.has(p)) problems.delete(p);
    }
    reportProblems(problems);
  }
  displayRoots.sort((a, b) => b[0].length - a[0].length);
  const display = (abs: string): string => {
    const exact = displayMap.get(abs);
    if (exact !== undefined) return exact;
    let shown = abs;
    if (!abs.startsWith('<')) {
      const r = displayRoots.find(([root]) => abs.startsWith(root + sep));
      shown = r ? join(r[1], relative(r[0], abs)) : relative(cwd, abs) || abs;
    }
    // every finding and every fix edit asks: remember the answer
    displayMap.set(abs, shown);
    return shown;
  };
  return { violations, sources, display, files, migrations, statements, unreadable, emptyFolders };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

export const LINT_HELP = `Usage: pgmig lint [paths…|-] [options]

Lints migration folders (with their schema model), single migration files, or SQL on stdin (-).

Options:
  --format text|json|sarif|github   output format (default text)
  --pg-version N                    target PostgreSQL major version (default 16)
  --fix                             apply every finding's preferred fix, re-lint, repeat; with -
                                    the fixed SQL goes to stdout and the report to stderr
  --config FILE                     pgmig.json to use instead of the one found upwards
  --rule ID                         only these rules (repeatable, comma-separated)
  --exclude ID                      never these rules (repeatable, comma-separated)
  --fail-on error|warning|info|hint exit 1 when a finding is at or above this (default warning)
  --migration-format FORMAT         force the folder format (${FORMAT_IDS.join(', ')})
  --stats                           print files, statements and time as JSON on stderr
  --no-cache                        lint everything again (also: PGMIG_CACHE=0)
  --cache-dir DIR                   where folder results are cached (default .pgmig/cache)
  --db URL|NAME                     weigh findings by the real tables of this server (a URL or a
                                    named connection of pgmig.json): their rows and size, how
                                    long each lock is held; minutes under a blocking lock is an
                                    error. Only catalog statistics are read

Without paths, the "migrations" folders of pgmig.json are linted. A folder's findings are cached
until a file under it, the settings or pgmig itself change (--fix never uses the cache).

Exit status: 0 no findings at or above the threshold, 1 findings, 2 usage or I/O error.
`;
