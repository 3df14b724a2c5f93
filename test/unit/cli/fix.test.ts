/** `pgmig lint --fix`: files after the fix, passes, overlaps, and what must never be rewritten. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixPass } from '../../../server/src/cli/fix';
import type { Violation } from '../../../server/src/linter/types';
import { writeFolder } from '../helpers/lint';
import { CIC, cli, cliBytes } from './run';

const ONLY_CIC = ['--rule', CIC];

describe('--fix on a goose folder', () => {
  it('rewrites the file, re-lints, and reports what remains and how many fixes were applied', async () => {
    const root = writeFolder({
      '001_users.sql':
        '-- +goose Up\nCREATE TABLE users (id bigint, email text);\n-- +goose Down\nDROP TABLE users;\n',
      '002_idx.sql':
        '-- +goose Up\nSELECT 1;\n  CREATE INDEX users_email_idx ON users (email);\n-- +goose Down\nSELECT 1;\n',
    });
    const r = await cli(['lint', '.', '--fix', ...ONLY_CIC], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('pgmig: applied 1 fix\n');
    expect(r.stderr).toContain('0 problems');
    expect(readFileSync(join(root, '002_idx.sql'), 'utf8')).toBe(
      '-- +goose NO TRANSACTION\n-- +goose Up\nSELECT 1;\n  CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n-- +goose Down\nSELECT 1;\n',
    );
    expect(readFileSync(join(root, '001_users.sql'), 'utf8')).toContain('CREATE TABLE users');
    const again = await cli(['lint', '.', '--fix', ...ONLY_CIC], { cwd: root });
    expect(again.stderr).toContain('applied 0 fixes');
  });

  it('overlapping fixes wait for the next pass; the file ends with one directive', async () => {
    // both fixes insert the NO TRANSACTION line at offset 0: the second is skipped in pass 1 and
    // needs only CONCURRENTLY in pass 2
    const root = writeFolder({
      '001_idx.sql':
        '-- +goose Up\r\nCREATE INDEX a ON users (email);\r\nCREATE INDEX b ON users (id);\r\n-- +goose Down\r\nSELECT 1;\r\n',
    });
    const r = await cli(['lint', '.', '--fix', ...ONLY_CIC], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('applied 2 fixes');
    expect(readFileSync(join(root, '001_idx.sql'), 'utf8')).toBe(
      '-- +goose NO TRANSACTION\r\n-- +goose Up\r\nCREATE INDEX CONCURRENTLY a ON users (email);\r\nCREATE INDEX CONCURRENTLY b ON users (id);\r\n-- +goose Down\r\nSELECT 1;\r\n',
    );
  });

  it('creates follow-up migration files where the runner has no switch', async () => {
    const root = writeFolder({
      '000001_x.up.sql': 'CREATE TABLE a (id int);\nCREATE INDEX i ON users (email);\n',
      '000001_x.down.sql': 'DROP TABLE a;\n',
    });
    const r = await cli(['lint', '.', '--fix', ...ONLY_CIC], { cwd: root });
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, '000001_x.up.sql'), 'utf8')).toBe('CREATE TABLE a (id int);\n');
    const created = readdirSync(root).filter((f) => f.startsWith('000002_'));
    expect(created.length).toBeGreaterThan(0);
    const up = created.find((f) => f.endsWith('.up.sql'))!;
    expect(readFileSync(join(root, up), 'utf8')).toContain('CREATE INDEX CONCURRENTLY i');
  });

  it('keeps a byte order mark, and edits at the right offsets after it', async () => {
    const root = writeFolder({});
    const file = join(root, '001_idx.sql');
    writeFileSync(file, '\ufeff-- +goose Up\nCREATE INDEX a ON users (email);\n');
    await cli(['lint', '.', '--fix', ...ONLY_CIC], { cwd: root });
    expect(readFileSync(file, 'utf8')).toBe(
      '\ufeff-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY a ON users (email);\n',
    );
  });

  it('never rewrites a file that is not valid UTF-8', async () => {
    const root = writeFolder({});
    const file = join(root, 'a.sql');
    const bytes = Buffer.concat([
      Buffer.from('CREATE INDEX a ON users (email);\n-- caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    writeFileSync(file, bytes);
    const r = await cli(['lint', '.', '--fix', ...ONLY_CIC], { cwd: root });
    expect(r.stderr).toContain('applied 0 fixes');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe('--fix with stdin', () => {
  it('prints the fixed SQL to stdout and the report of what remains to stderr', async () => {
    const r = await cli(['lint', '-', '--fix', ...ONLY_CIC], {
      stdin: 'CREATE INDEX i ON t (a);\n',
    });
    expect(r.stdout).toBe('CREATE INDEX CONCURRENTLY i ON t (a);\n');
    expect(r.stderr).toContain('applied 1 fix');
    expect(r.code).toBe(0);
    const rest = await cli(['lint', '-', '--fix', '--rule', `${CIC},syntax-error`], {
      stdin: 'CREATE INDEX i ON t (a);\nSELEC 1;\n',
    });
    expect(rest.stdout).toBe('CREATE INDEX CONCURRENTLY i ON t (a);\nSELEC 1;\n');
    expect(rest.stderr).toMatch(/<stdin>:2:1: error syntax-error/);
    expect(rest.code).toBe(1);
  });

  it('passes input it cannot read as text through unchanged', async () => {
    const binary = Buffer.from([0x43, 0x00, 0xff, 0x0a]);
    const r = await cliBytes(['lint', '-', '--fix'], { stdin: binary });
    expect(r.stdout.equals(binary)).toBe(true);
    expect(r.stderr).toContain('binary file');
    expect(r.code).toBe(1);
  });
});

describe('fixPass', () => {
  const violation = (file: string, edits: Violation['fixes'][number]['edits']): Violation => ({
    rule: CIC,
    severity: 'warning',
    file,
    start: 0,
    end: 0,
    message: 'm',
    fixes: [{ title: 't', preferred: true, edits }],
  });

  it('never overwrites an existing file with a created one', () => {
    const root = writeFolder({ 'a.sql': 'SELECT 1;\n', 'exists.sql': 'keep me\n' });
    const a = join(root, 'a.sql');
    const r = fixPass({
      violations: [
        violation(a, [
          { file: a, start: 0, end: 0, newText: '-- x\n' },
          { file: join(root, 'exists.sql'), start: 0, end: 0, newText: 'new', createFile: true },
        ]),
      ],
      sources: new Map(),
      unsafe: new Set(),
    });
    expect(r.applied).toBe(0);
    expect(readFileSync(join(root, 'exists.sql'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(a, 'utf8')).toBe('SELECT 1;\n');
  });

  it('applies non-overlapping edits of several fixes from the last backwards, skips overlaps', () => {
    const root = writeFolder({ 'a.sql': 'abcdef' });
    const a = join(root, 'a.sql');
    const r = fixPass({
      violations: [
        violation(a, [{ file: a, start: 1, end: 2, newText: 'B' }]),
        violation(a, [{ file: a, start: 4, end: 5, newText: 'E' }]),
        violation(a, [{ file: a, start: 1, end: 3, newText: 'X' }]),
        violation(a, [
          { file: join(root, 'new/b.sql'), start: 0, end: 0, newText: 'b', createFile: true },
        ]),
      ],
      sources: new Map(),
      unsafe: new Set(),
    });
    expect(r.applied).toBe(3);
    expect(readFileSync(a, 'utf8')).toBe('aBcdEf');
    expect(readFileSync(join(root, 'new/b.sql'), 'utf8')).toBe('b');
  });

  it('a fix for SQL from stdin never touches files on disk', () => {
    const root = writeFolder({});
    const r = fixPass({
      violations: [
        violation('<stdin>', [
          { file: '<stdin>', start: 0, end: 0, newText: 'x' },
          { file: join(root, 'c.sql'), start: 0, end: 0, newText: 'c', createFile: true },
        ]),
      ],
      sources: new Map(),
      unsafe: new Set(),
      stdinText: 'SELECT 1;',
    });
    expect(r).toMatchObject({ applied: 0, stdinText: 'SELECT 1;' });
    expect(existsSync(join(root, 'c.sql'))).toBe(false);
  });
});
