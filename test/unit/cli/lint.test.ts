/**
 * `pgmig lint` end to end in-process: what gets linted (folders, files, stdin, config folders),
 * with which rules and threshold, and the exit codes.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFolder } from '../helpers/lint';
import { CIC, cli, type JsonFinding } from './run';

const ONLY_CIC = ['--rule', CIC];
const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  version: string;
};
const CLEAN = '-- +goose Up\nCREATE TABLE t (id bigint);\n-- +goose Down\nDROP TABLE t;\n';

function gooseFolder(extra: Record<string, string> = {}) {
  return writeFolder({
    '001_users.sql':
      '-- +goose Up\nCREATE TABLE users (id bigint, email text);\n-- +goose Down\nDROP TABLE users;\n',
    '002_idx.sql':
      '-- +goose Up\nSELECT 1;\n  CREATE INDEX users_email_idx ON users (email);\n-- +goose Down\nSELECT 1;\n',
    ...extra,
  });
}

async function json(argv: string[], opts: { cwd?: string; stdin?: string } = {}) {
  const r = await cli([...argv, '--format', 'json'], opts);
  return { ...r, findings: JSON.parse(r.stdout) as JsonFinding[] };
}

describe('pgmig command', () => {
  it('--help and --version go to stdout with exit 0', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('lint [paths…|-]');
    const v = await cli(['--version']);
    expect(v).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const lh = await cli(['lint', '--help']);
    expect(lh.code).toBe(0);
    expect(lh.stdout).toContain('--fail-on');
  });

  it('an unknown command or option, or no command, is a usage error on stderr with exit 2', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('Usage: pgmig');
    expect((await cli([])).code).toBe(2);
    const opt = await cli(['lint', '--frobnicate', '.']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain('--frobnicate');
  });
});

describe('pgmig lint: what is linted', () => {
  it('a folder: findings named by the folder as given joined with the relative path', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.', ...ONLY_CIC], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`002_idx.sql:3:3: warning ${CIC} `);
    const parent = dirname(root);
    const sub = root.slice(parent.length + 1);
    const p = await json(['lint', `./${sub}/`, ...ONLY_CIC], { cwd: parent });
    expect(p.findings.map((f) => f.file)).toEqual([`${sub}/002_idx.sql`]);
    const abs = await json(['lint', root, ...ONLY_CIC], { cwd: '/' });
    expect(abs.findings.map((f) => f.file)).toEqual([join(root, '002_idx.sql')]);
  });

  it('a file is linted with the schema model of the earlier migrations of its folder', async () => {
    // the finding for a partitioned table is only possible when 001 was replayed first
    const root = writeFolder({
      '001_events.sql':
        '-- +goose Up\nCREATE TABLE events (ts timestamptz) PARTITION BY RANGE (ts);\n-- +goose Down\nDROP TABLE events;\n',
      '002_idx.sql': '-- +goose Up\nCREATE INDEX events_ts ON events (ts);\n',
      '003_later.sql': '-- +goose Up\nCREATE INDEX later ON events (ts);\n',
    });
    const r = await json(['lint', '002_idx.sql', ...ONLY_CIC], { cwd: root });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].file).toBe('002_idx.sql');
    expect(r.findings[0].message).toContain('partitioned table events');
    // the first migration itself creates the table: nothing to report, and 002/003 are not linted
    const first = await json(['lint', '001_events.sql'], { cwd: root });
    expect(first.findings).toEqual([]);
    expect(first.code).toBe(0);
  });

  it('several files of one folder: each migration linted once, in one load', async () => {
    const root = gooseFolder({
      '003_more.sql': '-- +goose Up\nCREATE INDEX more ON users (id);\n',
    });
    const r = await cli(['lint', '003_more.sql', '002_idx.sql', '--format', 'json', '--stats'], {
      cwd: root,
    });
    const files = (JSON.parse(r.stdout) as JsonFinding[])
      .filter((f) => f.rule === CIC)
      .map((f) => f.file);
    expect(files.sort()).toEqual(['002_idx.sql', '003_more.sql']);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!).stats;
    expect(stats.migrations).toBe(2);
  });

  it('a file that is not a migration of its folder is linted on its own', async () => {
    const root = gooseFolder({ 'notes.sql': 'CREATE INDEX n ON users (email);\n' });
    const r = await json(['lint', 'notes.sql', ...ONLY_CIC], { cwd: root });
    expect(r.findings.map((f) => [f.file, f.line, f.rule])).toEqual([['notes.sql', 1, CIC]]);
    // and the folder's own migrations are not reported for it
    expect(r.findings.some((f) => f.file === '002_idx.sql')).toBe(false);
  });

  it('- reads SQL from stdin, reported as <stdin>', async () => {
    const r = await json(['lint', '-', ...ONLY_CIC], {
      stdin: 'SELECT 1;\nCREATE INDEX i ON users (email);\n',
    });
    expect(r.code).toBe(1);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ file: '<stdin>', line: 2, column: 1, rule: CIC });
  });

  it('no paths: the "migrations" folders of pgmig.json, relative to it; none is a usage error', async () => {
    const repo = writeFolder({
      '.git/HEAD': '',
      'pgmig.json': JSON.stringify({ migrations: ['db/migrations'] }),
      'db/migrations/001_idx.sql': '-- +goose Up\nCREATE INDEX i ON users (email);\n',
    });
    mkdirSync(join(repo, 'src'));
    const r = await json(['lint', ...ONLY_CIC], { cwd: repo });
    expect(r.findings.map((f) => f.file)).toEqual(['db/migrations/001_idx.sql']);
    const sub = await json(['lint', ...ONLY_CIC], { cwd: join(repo, 'src') });
    expect(sub.findings.map((f) => f.file)).toEqual(['../db/migrations/001_idx.sql']);
    const none = await cli(['lint'], { cwd: writeFolder({ '.git/HEAD': '' }) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no paths given');
  });

  it('a missing path is reported, the others are still linted, exit 2', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', 'missing-dir', '.', 'missing.sql', ...ONLY_CIC], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pgmig: missing-dir: no such file or directory');
    expect(r.stderr).toContain('pgmig: missing.sql: no such file or directory');
    expect(r.stdout).toContain(`002_idx.sql:3:3: warning ${CIC}`);
  });

  it('a folder given twice is linted once', async () => {
    const root = gooseFolder();
    const r = await json(['lint', '.', root, ...ONLY_CIC], { cwd: root });
    expect(r.findings).toHaveLength(1);
  });
});

describe('pgmig lint: rules, threshold, versions, formats', () => {
  it('--rule and --exclude are repeatable and comma-separated', async () => {
    const root = gooseFolder({ '003_bad.sql': '-- +goose Up\nCREATE TABLE (;\n' });
    const rules = async (...args: string[]) =>
      [...new Set((await json(['lint', '.', ...args], { cwd: root })).findings.map((f) => f.rule))]
        .sort()
        .join(' ');
    expect(await rules('--rule', CIC)).toBe(CIC);
    expect(await rules('--rule', 'syntax-error')).toBe('syntax-error');
    expect(await rules('--rule', `syntax-error,${CIC}`)).toBe(`${CIC} syntax-error`);
    expect(await rules('--rule', 'syntax-error', '--rule', CIC)).toBe(`${CIC} syntax-error`);
    expect(await rules('--rule', `syntax-error,${CIC}`, '--exclude', CIC)).toBe('syntax-error');
    const all = await rules();
    expect(all).toContain(CIC);
    expect(await rules('--exclude', `${CIC},syntax-error`)).not.toMatch(
      new RegExp(`${CIC}|syntax-error`),
    );
  });

  it('an unknown rule id is a usage error listing close matches', async () => {
    const root = gooseFolder();
    const bad = await cli(['lint', '.', '--rule', 'require-concurent-index-creation'], {
      cwd: root,
    });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('unknown rule "require-concurent-index-creation"');
    expect(bad.stderr).toContain(`did you mean ${CIC}`);
    const ex = await cli(['lint', '.', '--exclude', `${CIC},nope-nope`], { cwd: root });
    expect(ex.code).toBe(2);
    expect(ex.stderr).toContain('unknown rule "nope-nope"');
  });

  it('--fail-on sets the threshold for exit 1 (default warning)', async () => {
    const root = gooseFolder();
    const code = async (...a: string[]) =>
      (await cli(['lint', '.', ...ONLY_CIC, ...a], { cwd: root })).code;
    expect(await code()).toBe(1);
    expect(await code('--fail-on', 'warning')).toBe(1);
    expect(await code('--fail-on', 'error')).toBe(0);
    expect(await code('--fail-on', 'hint')).toBe(1);
    expect(await code('--fail-on', 'fatal')).toBe(2);
    const clean = writeFolder({ '001_ok.sql': CLEAN });
    expect((await cli(['lint', '.', '--fail-on', 'hint'], { cwd: clean })).code).toBe(0);
  });

  it('--pg-version takes a major version; anything else is a usage error', async () => {
    const root = gooseFolder();
    expect((await cli(['lint', '.', ...ONLY_CIC, '--pg-version', '11'], { cwd: root })).code).toBe(
      1,
    );
    for (const bad of ['eleven', '16.2', '3']) {
      const r = await cli(['lint', '.', '--pg-version', bad], { cwd: root });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--pg-version');
    }
  });

  it('--migration-format forces the layout the fixes are written for', async () => {
    const root = gooseFolder();
    const titles = async (...a: string[]) =>
      (await json(['lint', '.', ...ONLY_CIC, ...a], { cwd: root })).findings.flatMap((f) =>
        f.fixes.map((x) => x.title),
      );
    // goose runs the file in a transaction: the fix takes it out
    expect(await titles()).toContain('Add CONCURRENTLY and add -- +goose NO TRANSACTION');
    // an unknown layout runs statement by statement: CONCURRENTLY alone is enough
    expect(await titles('--migration-format', 'unknown')).toContain('Add CONCURRENTLY');
    expect(await titles('--migration-format', 'unknown')).not.toContain(
      'Add CONCURRENTLY and add -- +goose NO TRANSACTION',
    );
    const bad = await cli(['lint', '.', '--migration-format', 'rails'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--migration-format must be one of');
  });

  it('an unknown --format is a usage error', async () => {
    const r = await cli(['lint', '.', '--format', 'xml'], { cwd: gooseFolder() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, json, sarif, github');
  });

  it('exit 0 and an empty report when nothing is found', async () => {
    const root = writeFolder({ '001_ok.sql': CLEAN });
    const r = await cli(['lint', '.'], { cwd: root });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain('0 problems');
    writeFileSync(join(root, 'x'), '');
    expect((await json(['lint', '.'], { cwd: root })).findings).toEqual([]);
  });
});
