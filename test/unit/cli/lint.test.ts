import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeFolder } from '../helpers/lint';
import { cli } from './run';

const CIC = 'require-concurrent-index-creation';

function gooseFolder() {
  return writeFolder({
    '001_users.sql':
      '-- +goose Up\nCREATE TABLE users (id bigint, email text);\n-- +goose Down\nDROP TABLE users;\n',
    '002_idx.sql':
      '-- +goose Up\nSELECT 1;\n  CREATE INDEX users_email_idx ON users (email);\n-- +goose Down\nSELECT 1;\n',
  });
}

describe('pgmig lint', () => {
  it('text output: file:line:column, exit 1 on findings, relative to the folder as given', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`002_idx.sql:3:3: warning ${CIC} `);
    expect(r.stderr).toMatch(/1 problem \(0 errors, 1 warnings/);
  });

  it('json output: 1-based positions and fixes with located edits', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', root, '--format', 'json'], { cwd: '/' });
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      file: join(root, '002_idx.sql'),
      line: 3,
      column: 3,
      endLine: 3,
      endColumn: 48,
      rule: CIC,
      severity: 'warning',
    });
    const fix = out[0].fixes[0];
    expect(fix.title).toMatch(/CONCURRENTLY/);
    expect(
      fix.edits.some(
        (e: { newText: string; startLine: number; startColumn: number }) =>
          e.newText === ' CONCURRENTLY' && e.startLine === 3 && e.startColumn === 15,
      ),
    ).toBe(true);
  });

  it('sarif and github formats carry the same location', async () => {
    const root = gooseFolder();
    const sarif = JSON.parse((await cli(['lint', '.', '--format', 'sarif'], { cwd: root })).stdout);
    const res = sarif.runs[0].results[0];
    expect(sarif.version).toBe('2.1.0');
    expect(res.ruleId).toBe(CIC);
    expect(res.locations[0].physicalLocation.region).toMatchObject({
      startLine: 3,
      startColumn: 3,
    });
    expect(sarif.runs[0].tool.driver.rules[0].helpUri).toContain(`docs/rules/${CIC}.md`);
    const gh = (await cli(['lint', '.', '--format', 'github'], { cwd: root })).stdout;
    expect(gh).toMatch(
      /^::warning file=002_idx\.sql,line=3,col=3,endLine=3,endColumn=48,title=pgmig require-concurrent-index-creation::/,
    );
  });

  it('a single file is linted with the schema model of the earlier migrations', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '001_users.sql', '--format', 'json'], { cwd: root });
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
    const r2 = await cli(['lint', '002_idx.sql', '--format', 'json'], { cwd: root });
    expect(JSON.parse(r2.stdout).map((f: { file: string }) => f.file)).toEqual(['002_idx.sql']);
  });

  it('--fix rewrites the goose file and the re-lint is clean', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.', '--fix'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('applied 1 fix');
    const text = readFileSync(join(root, '002_idx.sql'), 'utf8');
    expect(text.startsWith('-- +goose NO TRANSACTION\n')).toBe(true);
    expect(text).toContain('CREATE INDEX CONCURRENTLY users_email_idx');
  });

  it('reads stdin and --fix prints the fixed SQL', async () => {
    const r = await cli(['lint', '-', '--format', 'json'], { stdin: 'CREATE INDEX i ON t (a);\n' });
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ file: '<stdin>', line: 1, rule: CIC });
    const f = await cli(['lint', '-', '--fix'], { stdin: 'CREATE INDEX i ON t (a);\n' });
    expect(f.stdout).toBe('CREATE INDEX CONCURRENTLY i ON t (a);\n');
    expect(f.code).toBe(0);
  });

  it('--rule, --exclude and --fail-on select rules and the threshold; unknown rules are usage errors', async () => {
    const root = gooseFolder();
    expect((await cli(['lint', '.', '--exclude', CIC], { cwd: root })).code).toBe(0);
    expect((await cli(['lint', '.', '--rule', 'syntax-error'], { cwd: root })).code).toBe(0);
    expect((await cli(['lint', '.', '--fail-on', 'error'], { cwd: root })).code).toBe(0);
    const bad = await cli(['lint', '.', '--rule', 'require-concurent-index-creation'], {
      cwd: root,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`did you mean ${CIC}`);
  });

  it('config: pgmig.json beats .squawk.toml, the command line beats both; bad config is exit 2', async () => {
    const root = gooseFolder();
    writeFileSync(join(root, '.squawk.toml'), `excluded_rules = ["${CIC}"]\npg_version = "15.0"\n`);
    expect((await cli(['lint', '.'], { cwd: root })).code).toBe(0);
    writeFileSync(join(root, 'pgmig.json'), JSON.stringify({ rules: { [CIC]: 'error' } }));
    const r = await cli(['lint', '.'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`error ${CIC}`);
    expect((await cli(['lint', '.', '--exclude', CIC], { cwd: root })).code).toBe(0);
    writeFileSync(join(root, 'pgmig.json'), '{ "pgVersion": "sixteen" }');
    const bad = await cli(['lint', '.'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/pgmig\.json: pgVersion must be/);
  });

  it('usage and I/O errors exit 2 and other paths are still linted', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', 'missing-dir', '.'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing-dir: no such file or directory');
    expect(r.stdout).toContain(CIC);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['lint', '.', '--format', 'xml'], { cwd: root })).code).toBe(2);
  });
});

describe('bad input', () => {
  it('binary, invalid UTF-8, empty, placeholders and unterminated dollar quotes: findings, no crash', async () => {
    const root = writeFolder({
      'a_empty.sql': '',
      'b_placeholder.sql':
        'CREATE TABLE {{ index .Options "Namespace" }}.users (id int);\nCREATE INDEX i ON t (a);\n',
      'c_dollar.sql': 'CREATE INDEX j ON t (a);\nCREATE FUNCTION f() RETURNS int AS $$ select 1;\n',
    });
    writeFileSync(join(root, 'd_binary.sql'), Buffer.from([0x43, 0x00, 0x01, 0xff]));
    writeFileSync(
      join(root, 'e_latin1.sql'),
      Buffer.from('CREATE INDEX k ON t (\xe9);\n', 'latin1'),
    );
    const r = await cli(['lint', '.', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    const out: Array<{ file: string; rule: string; message: string }> = JSON.parse(r.stdout);
    const by = (f: string) => out.filter((x) => x.file === f).map((x) => `${x.rule}: ${x.message}`);
    expect(by('a_empty.sql')).toEqual([]);
    expect(by('b_placeholder.sql').join('\n')).toMatch(
      /syntax-error: syntax error at or near "\{"/,
    );
    expect(by('b_placeholder.sql').join('\n')).toContain(CIC);
    expect(by('c_dollar.sql').join('\n')).toMatch(/unterminated dollar-quoted string/);
    expect(by('c_dollar.sql').join('\n')).toContain(CIC);
    expect(by('d_binary.sql')).toEqual([
      'syntax-error: binary file (contains NUL bytes); not linted',
    ]);
    expect(by('e_latin1.sql').join('\n')).toMatch(/not valid UTF-8/);
  });

  it('a 10 MB file is linted in one pass without a hang', async () => {
    const stmt = 'ALTER TABLE big ADD COLUMN c int; CREATE INDEX big_c ON big (c);\n';
    const root = writeFolder({
      'big.sql': stmt.repeat(Math.ceil((10 * 1024 * 1024) / stmt.length)),
    });
    const t0 = performance.now();
    const r = await cli(['lint', 'big.sql', '--format', 'json', '--stats'], { cwd: root });
    const ms = performance.now() - t0;
    expect(r.code).toBe(1);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!).stats;
    expect(stats.statements).toBeGreaterThan(300_000);
    console.log(`10 MB file: ${stats.statements} statements linted in ${ms.toFixed(0)} ms`);
  });

  it('the built bundle runs standalone with its wasm', () => {
    const bundle = join(__dirname, '../../../dist/cli.js');
    expect(existsSync(bundle), 'run npm run build first (npm test does)').toBe(true);
    const root = gooseFolder();
    const r = spawnSync(process.execPath, [bundle, 'lint', '.', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)[0].rule).toBe(CIC);
  });
});
