/**
 * Trace and verify over a real JSON-RPC connection, as the editor sends them to the language
 * server: a trace of unsaved text with progress notifications, hovers from the kept result,
 * verification diagnostics on DOWN sections, refusal of a protected connection, cancellation.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import {
  TRACE_ERROR,
  TraceCancelNotification,
  TraceProgressNotification,
  TraceRequest,
  VerifyRequest,
  type FileDiagnostics,
  type TraceProgressParams,
} from '../../server/src/protocol/trace';
import { registerTraceHandlers } from '../../server/src/trace/lspHandlers';
import type { TraceStore } from '../../server/src/trace/hover';
import { dbmate, makeFolder } from './helpers';

const many: Record<string, string> = {};
for (let i = 1; i <= 120; i++)
  many[`db/migrations/${String(i).padStart(3, '0')}_t${i}.sql`] = dbmate(
    `CREATE TABLE t${i} (id int);`,
    `DROP TABLE t${i};`,
  );

const made = makeFolder({
  'db/migrations/001_users.sql': dbmate(
    'CREATE TABLE users (id int PRIMARY KEY, email text);',
    'DROP TABLE users;',
  ),
  'db/migrations/002_index.sql': dbmate(
    'CREATE INDEX users_email_idx ON users (email);',
    'SELECT 1;',
  ),
});
const slow = makeFolder(many);
const dir = join(made.root, 'db/migrations');

let client: MessageConnection;
let store: TraceStore;
let dispose: () => void;
const progress: TraceProgressParams[] = [];
const published: FileDiagnostics[][] = [];

beforeAll(() => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(
    new StreamMessageReader(toServer),
    new StreamMessageWriter(toClient),
  );
  const h = registerTraceHandlers(server, {
    onVerifyDiagnostics: (d) => published.push(d),
    env: {},
  });
  store = h.store;
  dispose = h.dispose;
  server.listen();
  client = createMessageConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  client.onNotification(TraceProgressNotification, (p) => progress.push(p));
  client.listen();
});

afterAll(() => {
  dispose?.();
  client?.dispose();
  made.cleanup();
  slow.cleanup();
});

describe('trace and verify requests', { timeout: 180_000 }, () => {
  it('traces the editor’s unsaved text and keeps the result for hovers', async () => {
    const file = join(dir, '002_index.sql');
    const text = dbmate('\nALTER TABLE users ALTER COLUMN email SET NOT NULL;', 'SELECT 1;');
    const r = await client.sendRequest(TraceRequest, { file, text, traceId: 't1' });
    const [t] = r.sections[0].statements;
    expect(t.text).toBe('ALTER TABLE users ALTER COLUMN email SET NOT NULL');
    expect(t.range.start).toEqual({ line: 2, character: 0 });
    expect(t.summary).toBe(
      'ACCESS EXCLUSIVE on users — blocks reads and writes; full scan of users',
    );
    expect(progress.filter((p) => p.traceId === 't1')).toEqual([
      { traceId: 't1', message: 'replaying earlier migrations', done: 1, total: 1 },
    ]);
    const hover = store.hoverAt(file, { line: 2, character: 10 });
    expect(hover).toMatch(
      /^\*\*pgmig trace\*\* — measured on PostgreSQL 1\d\.\d+ \(embedded\): ACCESS EXCLUSIVE on users — blocks reads and writes; full scan of users/,
    );
    expect(store.hoverAt(file, { line: 0, character: 0 })).toBeUndefined();
    store.forget(file);
    expect(store.hoverAt(file, { line: 2, character: 10 })).toBeUndefined();
  });

  it('verifies a folder and publishes diagnostics on the DOWN sections', async () => {
    const r = await client.sendRequest(VerifyRequest, { path: dir });
    expect(r.ok).toBe(false);
    const forIndex = r.diagnostics.find((d) => d.file.endsWith('002_index.sql'))!;
    const [left, again] = forIndex.diagnostics;
    expect(left).toEqual({
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 15 } },
      severity: 2,
      source: 'pgmig verify',
      code: 'down-does-not-restore',
      message: 'index users_email_idx left behind by DOWN',
    });
    // so UP cannot run again: an error on the UP statement
    expect(again).toMatchObject({
      range: { start: { line: 1, character: 0 } },
      severity: 1,
      code: 'up-again-fails',
    });
    expect(again.message).toContain('relation "users_email_idx" already exists');
    // published too, with an empty list for the file that round-trips (clears old findings)
    const last = published[published.length - 1];
    expect(last.find((d) => d.file.endsWith('001_users.sql'))?.diagnostics).toEqual([]);
    expect(last.find((d) => d.file.endsWith('002_index.sql'))?.diagnostics).toHaveLength(2);
  });

  it('refuses a protected connection with a typed error', async () => {
    const err = await client
      .sendRequest(TraceRequest, {
        file: join(dir, '002_index.sql'),
        connection: { name: 'prod', url: 'postgres://app@db.example.com/app', protected: true },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ResponseError);
    expect((err as ResponseError<{ kind: string }>).code).toBe(TRACE_ERROR);
    expect((err as ResponseError<{ kind: string }>).data).toEqual({ kind: 'protected' });
    expect((err as Error).message).toContain("connection 'prod' is marked protected");
  });

  it('stops a trace when the client cancels it', async () => {
    const file = join(slow.root, 'db/migrations/120_t120.sql');
    let cancelled = false;
    const sub = client.onNotification(TraceProgressNotification, (p) => {
      if (p.traceId === 'slow' && !cancelled) {
        cancelled = true;
        void client.sendNotification(TraceCancelNotification, { traceId: 'slow' });
      }
    });
    const err = await client.sendRequest(TraceRequest, { file, traceId: 'slow' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    sub.dispose();
    expect(cancelled).toBe(true);
    expect((err as Error)?.message).toContain('cancelled');
    const seen = progress.filter((p) => p.traceId === 'slow');
    expect(seen.length).toBeLessThan(119);
  });
});
