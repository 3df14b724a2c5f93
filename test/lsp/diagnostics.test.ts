/**
 * Diagnostics from the built server: rule id as code with a link to its page, pgmig as source,
 * severity from pgmig.json, related places, fix data, and which files are linted at all.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, uriOf, withCode } from './client';

const CIC = 'require-concurrent-index-creation';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

const GOOSE = {
  '20240101000000_users.sql':
    '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n\n-- +goose Down\nDROP TABLE users;\n',
  '20240102000000_index.sql':
    '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n\n-- +goose Down\nDROP INDEX users_email_idx;\n',
};

describe('diagnostics', () => {
  it('code, docs link, source, severity and fix data', async () => {
    const root = writeFolder(GOOSE);
    client = await TestClient.start({ root });
    const file = join(root, '20240102000000_index.sql');
    const ds = await client.open(file);
    const [d] = withCode(ds, CIC);
    expect(d, JSON.stringify(ds)).toBeDefined();
    expect(d.source).toBe('pgmig');
    expect(d.severity).toBe(DiagnosticSeverity.Warning);
    expect(d.codeDescription?.href).toBe(
      `https://github.com/pgmig/pgmig/blob/main/docs/rules/${CIC}.md`,
    );
    expect(d.range.start).toEqual({ line: 1, character: 0 });
    const text = client.text(file);
    expect(text.split('\n')[1].slice(d.range.start.character, d.range.end.character)).toBe(
      'CREATE INDEX users_email_idx ON users (email)',
    );
    const data = d.data as { version: number; fixes: Array<{ title: string }> };
    expect(data.version).toBe(1);
    expect(d.code).toBe(CIC);
    expect(data.fixes.some((f) => /CONCURRENTLY/.test(f.title))).toBe(true);
    // the status item's story: starting while settings are read, then ready
    await expect
      .poll(() => client!.statuses.map((s) => s.state).join(','))
      .toMatch(/^starting,.*ready$/);
    // ignore comments are written by the code action from the range, not carried
    expect(data.fixes.some((f) => f.title.startsWith('Disable'))).toBe(false);
  });

  it('takes severities and rules from pgmig.json, and the docs base from the editor', async () => {
    const root = writeFolder({
      ...GOOSE,
      'pgmig.json': JSON.stringify({ rules: { [CIC]: 'error', 'require-lock-timeout': 'off' } }),
    });
    client = await TestClient.start({
      root,
      settings: { docsBaseUrl: 'https://docs.example.com/rules' },
    });
    const ds = await client.open(join(root, '20240102000000_index.sql'));
    const [d] = withCode(ds, CIC);
    expect(d.severity).toBe(DiagnosticSeverity.Error);
    expect(d.codeDescription?.href).toBe(`https://docs.example.com/rules/${CIC}.md`);
    expect(withCode(ds, 'require-lock-timeout')).toEqual([]);
  });

  it('points at related places', async () => {
    const root = writeFolder({
      '20240101000000_t.sql': '-- +goose Up\nCREATE TABLE t (x int);\n',
      '20240102000000_check.sql':
        '-- +goose Up\nALTER TABLE t ADD CONSTRAINT t_x CHECK (x > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_x;\n',
    });
    client = await TestClient.start({ root });
    const file = join(root, '20240102000000_check.sql');
    const ds = await client.open(file);
    const [d] = withCode(ds, 'require-separate-constraint-validation');
    expect(d, JSON.stringify(ds.map((x) => x.code))).toBeDefined();
    expect(d.relatedInformation).toEqual([
      {
        location: {
          uri: uriOf(file),
          range: { start: { line: 1, character: 0 }, end: { line: 1, character: 56 } },
        },
        message: 't_x added NOT VALID here',
      },
    ]);
  });

  it('lints migration folders only, not every SQL file', async () => {
    const root = writeFolder({
      'db/migrations/001_a.sql': 'CREATE INDEX a_idx ON a (x);\n',
      'scripts/report.sql': 'CREATE INDEX a_idx ON a (x);\n',
    });
    client = await TestClient.start({ root });
    expect(withCode(await client.open(join(root, 'db/migrations/001_a.sql')), CIC)).toHaveLength(1);
    expect(await client.open(join(root, 'scripts/report.sql'))).toEqual([]);
  });

  it('follows migrationGlobs from the editor settings', async () => {
    const root = writeFolder({
      'sql/changes/001_a.sql': 'CREATE INDEX a_idx ON a (x);\n',
      'sql/other/001_b.sql': 'CREATE INDEX b_idx ON b (x);\n',
    });
    client = await TestClient.start({ root, settings: { migrationGlobs: ['sql/changes/*.sql'] } });
    expect(withCode(await client.open(join(root, 'sql/changes/001_a.sql')), CIC)).toHaveLength(1);
    expect(await client.open(join(root, 'sql/other/001_b.sql'))).toEqual([]);
  });

  it('follows migrationGlobs from pgmig.json', async () => {
    const root = writeFolder({
      'pgmig.json': JSON.stringify({ migrationGlobs: ['changes/**/*.sql'] }),
      'changes/v1/001_a.sql': 'CREATE INDEX a_idx ON a (x);\n',
    });
    client = await TestClient.start({ root });
    expect(withCode(await client.open(join(root, 'changes/v1/001_a.sql')), CIC)).toHaveLength(1);
  });

  it('reports a broken pgmig.json on the file itself and lints with defaults', async () => {
    const root = writeFolder({ ...GOOSE, 'pgmig.json': '{"rules": {"x": 1}' });
    client = await TestClient.start({ root });
    const ds = await client.open(join(root, '20240102000000_index.sql'));
    expect(withCode(ds, CIC)).toHaveLength(1);
    const config = await client.diagnosticsFor(
      join(root, 'pgmig.json'),
      (p) => p.diagnostics.length > 0,
    );
    expect(config[0].message).toMatch(/invalid JSON/);
    expect(config[0].severity).toBe(DiagnosticSeverity.Error);
    await expect
      .poll(() => client!.statuses.at(-1))
      .toMatchObject({ state: 'error', detail: expect.stringContaining('pgmig.json') });
  });
});
