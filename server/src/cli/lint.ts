/**
 * `pgmig lint [paths…|-]`: folders are linted as migration directories with their schema model,
 * files with the schema model of the migrations before them, `-` reads SQL from stdin.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadSettings } from '../config/load';
import type { Settings } from '../config/settings';
import {
  folderOfFile,
  isDirectory,
  loadFolder,
  loadSingleFile,
  type ReadProblems,
} from '../folder/load';
import { FORMAT_IDS, type FormatId, type SourceFile } from '../folder/model';
import { readSqlFile } from '../folder/read';
import { applyEditGroups } from '../linter/applyEdits';
import { lintFolder, lintMigration, type LintOptions } from '../linter/lint';
import type { Severity, Violation } from '../linter/types';
import { initParser } from '../parser/parse';
import { RULES } from '../rules';
import { Catalog } from '../schema/catalog';
import { locate, SEVERITY_RANK, type Finding } from './findings';
import { formatGithub } from './reporters/github';
import { formatJson } from './reporters/json';
import { formatSarif } from './reporters/sarif';
import { formatText, summaryLine } from './reporters/text';
import type { Io } from './io';
import { closeMatches } from './suggest';
import { runInWorkers, shouldParallelize } from './parallel';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

class UsageError extends Error {}

export interface Target {
  kind: 'folder' | 'files' | 'stdin';
  /** Folder root (absolute) for folder and files targets. */
  root?: string;
  /** The path as given, for folder targets. */
  given?: string;
  /** Absolute path → as given, for files targets. */
  files?: Map<string, string>;
}

export interface RunResult {
  violations: Violation[];
  sources: Map<string, SourceFile>;
  display: (abs: string) => string;
  files: number;
  migrations: number;
  statements: number;
}

export async function lintCommand(argv: string[], io: Io, version: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'pg-version': { type: 'string' },
        fix: { type: 'boolean', default: false },
        config: { type: 'string' },
        rule: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        'fail-on': { type: 'string', default: 'warning' },
        'migration-format': { type: 'string' },
        stats: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.stderr.write(`pgmig lint: ${(e as Error).message}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.stdout.write(LINT_HELP);
    return 0;
  }
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
    if (v['migration-format'] !== undefined) {
      if (!(FORMAT_IDS as readonly string[]).includes(v['migration-format']))
        throw new UsageError(`--migration-format must be one of ${FORMAT_IDS.join(', ')}`);
      overrides.format = v['migration-format'] as FormatId;
    }
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

    const paths = positionals.length > 0 ? positionals : loaded.settings.migrations;
    if (paths.length === 0)
      throw new UsageError('no paths given and no "migrations" folders in pgmig.json');
    let ioError = false;
    const targets: Target[] = [];
    const byFolder = new Map<string, Target>();
    let stdinText: string | undefined;
    for (const p of paths) {
      if (p === '-') {
        stdinText ??= await readAll(io.stdin);
        targets.push({ kind: 'stdin' });
        continue;
      }
      const abs = resolve(io.cwd, p);
      if (!existsSync(abs)) {
        io.stderr.write(`pgmig: ${p}: no such file or directory\n`);
        ioError = true;
        continue;
      }
      if (isDirectory(abs)) {
        targets.push({ kind: 'folder', root: abs, given: p });
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

    const run = (): RunResult => runTargets(targets, stdinText, options, io.cwd);
    const parallel = !v.fix && shouldParallelize(targets);
    let result: RunResult = parallel ? emptyResult() : run();
    if (v.fix) {
      let total = 0;
      for (let pass = 0; pass < 10; pass++) {
        const groups = result.violations.flatMap((x) => {
          const f = x.fixes.find((fx) => fx.preferred);
          return f ? [f.edits] : [];
        });
        if (groups.length === 0) break;
        const read = (file: string) =>
          file === '<stdin>'
            ? stdinText
            : existsSync(file)
              ? readFileSync(file, 'utf8')
              : undefined;
        const { texts, applied } = applyEditGroups(groups, read);
        if (applied === 0) break;
        total += applied;
        for (const [file, text] of texts) {
          if (file === '<stdin>') stdinText = text;
          else {
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, text);
          }
        }
        result = run();
      }
      io.stderr.write(`pgmig: applied ${total} fix${total === 1 ? '' : 'es'}\n`);
      if (targets.some((t) => t.kind === 'stdin')) {
        io.stdout.write(stdinText ?? '');
        return ioError ? 2 : exitFor(result.violations, failOn);
      }
    }

    let findings: Finding[];
    let counts: { files: number; migrations: number; statements: number };
    if (parallel) {
      const par = await runInWorkers(targets, stdinText, options, io.cwd);
      findings = par.findings;
      counts = par;
      result = {
        ...result,
        violations: par.severities.map((severity) => ({ severity }) as Violation),
      };
    } else {
      findings = result.violations.map((x) => locate(x, result.sources, result.display));
      counts = result;
    }
    if (format === 'json') io.stdout.write(formatJson(findings));
    else if (format === 'sarif') io.stdout.write(formatSarif(findings, RULES, version));
    else if (format === 'github') io.stdout.write(formatGithub(findings));
    else {
      io.stdout.write(formatText(findings));
      io.stderr.write(`${summaryLine(findings)}\n`);
    }
    if (v.stats) {
      const stats = {
        files: counts.files,
        migrations: counts.migrations,
        statements: counts.statements,
        findings: findings.length,
        ms: Math.round(performance.now() - started),
      };
      io.stderr.write(`${JSON.stringify({ stats })}\n`);
    }
    if (ioError) return 2;
    return exitFor(result.violations, failOn);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr.write(`pgmig: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function emptyResult(): RunResult {
  return {
    violations: [],
    sources: new Map(),
    display: (p) => p,
    files: 0,
    migrations: 0,
    statements: 0,
  };
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

function problemViolations(problems: ReadProblems): Violation[] {
  return [...problems].map(([file, message]) => ({
    rule: 'syntax-error',
    severity: 'error' as Severity,
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
  let files = 0;
  let migrations = 0;
  let statements = 0;
  const syntaxOn =
    options.settings.rules['syntax-error'] !== 'off' && !options.exclude?.has('syntax-error');
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
  for (const t of targets) {
    if (t.kind === 'stdin') {
      const m = loadSingleFile('<stdin>', stdinText ?? '', options.settings.format);
      count([m]);
      append(violations, lintMigration(m, new Catalog(), options));
      displayMap.set('<stdin>', '<stdin>');
      continue;
    }
    const problems: ReadProblems = new Map();
    const folder = loadFolder(t.root!, { format: options.settings.format }, problems);
    if (t.kind === 'folder') {
      count(folder.migrations);
      append(violations, lintFolder(folder, options));
      for (const f of sources.keys())
        if (f.startsWith(t.root!) && !displayMap.has(f))
          displayMap.set(f, join(t.given!, relative(t.root!, f)));
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
        if (covered.has(abs)) continue;
        // not a migration of its folder's layout: lint it on its own
        const m = loadSingleFile(abs, readSqlFile(abs).text, options.settings.format);
        count([m]);
        append(violations, lintMigration(m, new Catalog(), options));
      }
      for (const p of [...problems.keys()])
        if (!wanted.has(p) && !covered.has(p)) problems.delete(p);
    }
    if (syntaxOn) append(violations, problemViolations(problems));
  }
  const display = (abs: string) =>
    displayMap.get(abs) ?? (abs.startsWith('<') ? abs : relative(cwd, abs) || abs);
  return { violations, sources, display, files, migrations, statements };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export async function ensureParser(): Promise<void> {
  await initParser();
}

export const LINT_HELP = `Usage: pgmig lint [paths…|-] [options]

Lints migration folders (with their schema model), single migration files, or SQL on stdin (-).

Options:
  --format text|json|sarif|github   output format (default text)
  --pg-version N                    target PostgreSQL major version (default 16)
  --fix                             apply every finding's preferred fix
  --config FILE                     pgmig.json to use instead of the one found upwards
  --rule ID                         only these rules (repeatable, comma-separated)
  --exclude ID                      never these rules (repeatable, comma-separated)
  --fail-on error|warning|info|hint exit 1 when a finding is at or above this (default warning)
  --migration-format FORMAT         force the folder format (${FORMAT_IDS.join(', ')})
  --stats                           print files, statements and time as JSON on stderr

Exit status: 0 no findings at or above the threshold, 1 findings, 2 usage or I/O error.
`;
