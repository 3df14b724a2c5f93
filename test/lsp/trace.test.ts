/**
 * Lock tracing and round-trip verification on the built language server, on the embedded
 * in-memory database: the trace request's measured locks, the statement hover that shows them
 * until the file is edited, and verification findings on a broken DOWN published next to the
 * lint findings of the same file without either replacing the other.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceReport, verifyReport } from '../../client/src/migrations/traceReport';
import { TraceRequest, VerifyRequest } from '../../server/src/protocol/trace';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, uriOf } from './client';

const USERS = '20240101000000_create_users.sql';
const RETYPE = '20240102000000_retype_email.sql';
const INDEX = '20240103000000_email_index.sql';

const FILES = {
  [`db/migrations/${USERS}`]:
    '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n\n-- migrate:down\nDROP TABLE users;\n',
  [`db/migrations/${RETYPE}`]:
    '-- migrate:up\nALTER TABLE users ALTER COLUMN email TYPE varchar(200);\n\n-- migrate:down\nALTER TABLE users ALTER COLUMN email TYPE text;\n',
  // the DOWN forgets the index: verification must say so; the UP lints (no CONCURRENTLY)
  [`db/migrations/${INDEX}`]:
    '-- migrate:up\nCREATE INDEX users_email_idx ON users (email);\n\n-- migrate:down\nSELECT 1;\n',
};

// PGlite starts slowly on a busy machine
const SLOW = 240_000;

describe('trace and verify on the language server', () => {
  let ws: string;
  let client: TestClient;
  const file = (name: string) => join(ws, 'db/migrations', name);

  const hoverText = async (path: string, line: number, character: number) => {
    const h = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(path) },
      position: { line, character },
    });
    return (h?.contents as MarkupContent | undefined)?.value ?? '';
  };

  beforeAll(async () => {
    ws = writeFolder(FILES);
    client = await TestClient.start({ root: ws });
  });

  afterAll(async () => {
    await client?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it(
    'traces a migration and shows the measured locks in the hover until the file changes',
    async () => {
      const path = file(RETYPE);
      await client.open(path);
      expect(await hoverText(path, 1, 5)).not.toContain('measured on');

      const result = await client.connection.sendRequest(TraceRequest, { file: path });
      expect(result.server.embedded).toBe(true);
      expect(result.replayed).toBe(1);
      const stmt = result.sections[0].statements[0];
      expect(stmt.status).toBe('traced');
      expect(stmt.locks.find((l) => l.relation === 'public.users')?.mode).toBe('ACCESS EXCLUSIVE');
      expect(stmt.rewritten).toContain('public.users');

      // the report the editor opens, from the same result
      const report = traceReport(result);
      expect(report).toContain(`PostgreSQL ${result.server.version} (embedded, in memory)`);
      expect(report).toContain('ALTER TABLE users ALTER COLUMN email TYPE varchar(200)');
      expect(report).toMatch(/\| users \| ACCESS EXCLUSIVE \| [^|]*reads[^|]* \| yes \|/);
      expect(report).toContain('Rewritten: users');
      expect(report).toMatch(/Duration: \d+\.\d ms/);

      const text = await hoverText(path, 1, 5);
      expect(text).toContain(`measured on PostgreSQL ${result.server.version}`);
      expect(text).toContain('ACCESS EXCLUSIVE on users — blocks reads and writes');
      expect(text).toMatch(/rewritten/);
      // the static facts stay below the measurement
      expect(text.indexOf('measured on')).toBeLessThan(text.indexOf('**Work:**'));
      // the DOWN was not traced: its hover has no measurement
      expect(await hoverText(path, 4, 5)).not.toContain('measured on');

      await client.setText(path, client.text(path).replace('varchar(200)', 'varchar(300)'));
      const after = await hoverText(path, 1, 5);
      expect(after).not.toContain('measured on');
      expect(after).toContain('ACCESS EXCLUSIVE');
    },
    SLOW,
  );

  it(
    'publishes round-trip findings on the DOWN next to the lint findings, until an edit',
    async () => {
      const path = file(INDEX);
      const lint = await client.open(path);
      expect(lint.some((d) => d.source === 'pgmig')).toBe(true);
      expect(lint.some((d) => d.source === 'pgmig verify')).toBe(false);

      const published = client.nextDiagnostics(path, (p) =>
        p.diagnostics.some((d) => d.source === 'pgmig verify'),
      );
      const result = await client.connection.sendRequest(VerifyRequest, { path });
      expect(result.ok).toBe(false);
      expect(verifyReport(result)).toMatch(/after DOWN: .*users_email_idx/);
      const both = await published;
      const verify = both.filter((d) => d.source === 'pgmig verify');
      expect(verify.map((d) => d.message).join('\n')).toMatch(/users_email_idx/);
      // the difference is on the DOWN section (its marker or SELECT 1), not on the UP
      const left = verify.filter((d) => d.code === 'down-does-not-restore');
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((d) => d.range.start.line >= 3)).toBe(true);
      expect(both.filter((d) => d.source === 'pgmig')).toEqual(
        lint.filter((d) => d.source === 'pgmig'),
      );

      // a re-lint (settings changed) keeps the findings
      const relinted = client.nextDiagnostics(path);
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: {},
      });
      const again = await relinted;
      expect(again.filter((d) => d.source === 'pgmig verify')).toEqual(verify);
      expect(again.some((d) => d.source === 'pgmig')).toBe(true);

      // an edit makes their ranges meaningless: they go, the lint findings stay
      const edited = await client.setText(path, client.text(path).replace('SELECT 1', 'SELECT 2'));
      expect(edited.some((d) => d.source === 'pgmig verify')).toBe(false);
      expect(edited.some((d) => d.source === 'pgmig')).toBe(true);
    },
    SLOW,
  );

  it(
    'verifies a correct DOWN without findings and reports a bad file as an error',
    async () => {
      const result = await client.connection.sendRequest(VerifyRequest, { path: file(RETYPE) });
      expect(result.ok).toBe(true);
      expect(result.diagnostics).toEqual([]);
      await expect(
        client.connection.sendRequest(TraceRequest, { file: join(ws, 'nope.sql') }),
      ).rejects.toThrow();
      expect(await client.alive()).toBe(true);
    },
    SLOW,
  );
});
