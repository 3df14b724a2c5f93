/**
 * Input that is not clean SQL: each case is a finding or a message, never a crash or a hang, and
 * the other files are still linted.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFolder } from '../helpers/lint';
import { CIC, cli, type JsonFinding } from './run';

const RULES = ['--rule', `${CIC},syntax-error`];

async function lintJson(argv: string[], opts: { cwd?: string; stdin?: string | Buffer } = {}) {
  const r = await cli(['lint', ...argv, ...RULES, '--format', 'json'], opts);
  const findings = JSON.parse(r.stdout) as JsonFinding[];
  const of = (file: string) =>
    findings
      .filter((f) => f.file === file)
      .sort((a, b) => a.line - b.line || a.column - b.column)
      .map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`);
  return { ...r, findings, of };
}

// every folder also holds a file with a known finding, to show that linting went on
const HEALTHY = { 'z_ok.sql': 'CREATE INDEX ok ON users (email);\n' };
const healthy = (of: (f: string) => string[]) =>
  expect(of('z_ok.sql')).toEqual([expect.stringMatching(new RegExp(`^1:1 ${CIC}: `))]);

describe('bad input', () => {
  it('invalid SQL: a syntax-error at the offending token; the statements around it are linted', async () => {
    const root = writeFolder({
      ...HEALTHY,
      'a.sql':
        'CREATE INDEX a ON users (email);\nCREATE TABLE (id int);\nCREATE INDEX b ON users (id);\n',
    });
    const r = await lintJson(['.'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.of('a.sql')).toEqual([
      expect.stringMatching(new RegExp(`^1:1 ${CIC}`)),
      '2:14 syntax-error: syntax error at or near "("',
      expect.stringMatching(new RegExp(`^3:1 ${CIC}`)),
    ]);
    healthy(r.of);
  });

  it('template placeholders are syntax errors that say why', async () => {
    const root = writeFolder({
      ...HEALTHY,
      'a.sql':
        'CREATE TABLE {{ index .Options "Namespace" }}.users (id int);\nCREATE INDEX i ON t (a);\n',
    });
    const r = await lintJson(['.'], { cwd: root });
    const a = r.findings.filter((f) => f.file === 'a.sql');
    expect(a.map((f) => [f.line, f.column, f.rule])).toEqual([
      [1, 14, 'syntax-error'],
      [2, 1, CIC],
    ]);
    expect(a[0].message).toBe('syntax error at or near "{"');
    expect(a[0].help).toContain('template placeholders');
    healthy(r.of);
  });

  it('binary files and invalid UTF-8: syntax-error at 1:1 with the read problem', async () => {
    const root = writeFolder(HEALTHY);
    writeFileSync(join(root, 'a_binary.sql'), Buffer.from([0x43, 0x00, 0x01, 0xff]));
    writeFileSync(
      join(root, 'b_latin1.sql'),
      Buffer.from('-- café\nCREATE INDEX k ON t (a);\n', 'latin1'),
    );
    const r = await lintJson(['.'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.of('a_binary.sql')).toEqual([
      '1:1 syntax-error: binary file (contains NUL bytes); not linted',
    ]);
    // the readable part of the file is still linted
    expect(r.of('b_latin1.sql')).toEqual([
      expect.stringMatching(/^1:1 syntax-error: file is not valid UTF-8 near character 6/),
      expect.stringMatching(new RegExp(`^2:1 ${CIC}`)),
    ]);
    healthy(r.of);
    // given as a file argument that is no migration of its folder, too
    const goose = writeFolder({ '001_x.sql': '-- +goose Up\nSELECT 1;\n' });
    writeFileSync(join(goose, 'blob.sql'), Buffer.from([0, 1, 2]));
    const f = await lintJson(['blob.sql'], { cwd: goose });
    expect(f.of('blob.sql')).toEqual([
      '1:1 syntax-error: binary file (contains NUL bytes); not linted',
    ]);
    // and on stdin
    const s = await lintJson(['-'], { stdin: Buffer.from([0x53, 0x00]) });
    expect(s.of('<stdin>')).toEqual([
      '1:1 syntax-error: binary file (contains NUL bytes); not linted',
    ]);
  });

  it('read problems follow the syntax-error setting', async () => {
    const root = writeFolder(HEALTHY);
    writeFileSync(join(root, 'a.sql'), Buffer.from([0x00]));
    const off = await cli(['lint', '.', '--exclude', 'syntax-error', '--format', 'json'], {
      cwd: root,
    });
    expect((JSON.parse(off.stdout) as JsonFinding[]).some((f) => f.file === 'a.sql')).toBe(false);
    writeFileSync(join(root, 'pgmig.json'), JSON.stringify({ rules: { 'syntax-error': 'info' } }));
    const info = await lintJson(['.'], { cwd: root });
    expect(info.findings.find((f) => f.file === 'a.sql')?.severity).toBe('info');
  });

  it('empty files and files of only comments: nothing to report', async () => {
    const root = writeFolder({
      ...HEALTHY,
      'a_empty.sql': '',
      'b_comments.sql': '-- nothing\n/* here */\n',
      'c_blank.sql': '\n\n   \n',
    });
    const r = await lintJson(['.'], { cwd: root });
    expect(r.findings.map((f) => f.file)).toEqual(['z_ok.sql']);
    const e = await lintJson(['-'], { stdin: '' });
    expect(e.findings).toEqual([]);
    expect(e.code).toBe(0);
  });

  it('an unterminated dollar quote costs only what follows it', async () => {
    const root = writeFolder({
      ...HEALTHY,
      'a.sql':
        'CREATE INDEX j ON t (a);\nCREATE FUNCTION f() RETURNS int AS $$ select 1;\nCREATE INDEX k ON t (b);\n',
    });
    const r = await lintJson(['.'], { cwd: root });
    expect(r.of('a.sql')).toEqual([
      expect.stringMatching(new RegExp(`^1:1 ${CIC}`)),
      expect.stringMatching(/^2:\d+ syntax-error: unterminated dollar-quoted string/),
    ]);
    healthy(r.of);
  });

  it('a path that does not exist: exit 2, the other paths linted', async () => {
    const root = writeFolder(HEALTHY);
    const r = await cli(['lint', 'nope', 'z_ok.sql', 'nope.sql', ...RULES], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pgmig: nope: no such file or directory');
    expect(r.stderr).toContain('pgmig: nope.sql: no such file or directory');
    expect(r.stdout).toContain(`z_ok.sql:1:1: warning ${CIC}`);
  });

  it('a directory with no SQL: a warning, exit 0', async () => {
    const root = writeFolder({ 'README.md': '# nothing\n', 'sub/notes.txt': 'x' });
    mkdirSync(join(root, 'empty'));
    for (const dir of ['.', 'empty']) {
      const r = await cli(['lint', dir], { cwd: root });
      expect(r.code, dir).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`pgmig: warning: ${dir}: no migration files found`);
    }
  });

  it('a FIFO is refused instead of read forever', async () => {
    const root = writeFolder(HEALTHY);
    try {
      execFileSync('mkfifo', [join(root, 'pipe.sql')]);
    } catch {
      return; // no mkfifo here: nothing that could hang
    }
    const r = await cli(['lint', 'pipe.sql', 'z_ok.sql', ...RULES], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pgmig: pipe.sql: not a regular file or directory');
    expect(r.stdout).toContain(`z_ok.sql:1:1: warning ${CIC}`);
  });
});
