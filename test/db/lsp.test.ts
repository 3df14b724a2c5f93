/**
 * The runner's requests over a real JSON-RPC connection, as the editor sends them to the language
 * server: status, up with statement events, cancel, new, password requests answered by the
 * client, and failures located for a diagnostic.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import {
  RunnerCancelNotification,
  RunnerEventNotification,
  RunnerNewRequest,
  RunnerPasswordRequest,
  RunnerStatusRequest,
  RunnerUpRequest,
  type EventParams,
  type PasswordParams,
  type WireFailure,
} from '../../server/src/protocol/runner';
import { registerRunnerHandlers, RUNNER_ERROR } from '../../server/src/runner/lspHandlers';
import { startCluster, type Cluster } from './helpers/cluster';
import { fixture, removeTempDirs, tempDir } from './helpers/folders';
import { admin, createDatabase } from './helpers/server';
import { until, writeFolder } from './helpers/write';

let client: MessageConnection;
let handlers: { dispose(): Promise<void> };
let workspace: string;
const events: EventParams[] = [];
const failures: WireFailure[] = [];
const passwordsAsked: PasswordParams[] = [];
let cluster: Cluster;

beforeAll(async () => {
  process.env.PGPASSFILE = '/nonexistent/pgpass';
  cluster = await startCluster('lsp-Pw-123');
  workspace = tempDir();
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(
    new StreamMessageReader(toServer),
    new StreamMessageWriter(toClient),
  );
  handlers = registerRunnerHandlers(server, {
    workspaceRoot: () => workspace,
    onFailure: (f) => failures.push(f),
    embeddedLingerMs: 0,
    env: {},
  });
  server.listen();
  client = createMessageConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  client.onNotification(RunnerEventNotification, (p) => events.push(p));
  client.onRequest(RunnerPasswordRequest, (p) => {
    passwordsAsked.push(p);
    return { password: 'lsp-Pw-123' };
  });
  client.listen();
}, 120_000);

afterAll(async () => {
  await handlers?.dispose();
  client?.dispose();
  cluster?.stop();
  removeTempDirs();
});

describe('runner requests', () => {
  it('status and up on the embedded database, with statement events', async () => {
    const root = fixture('goose');
    const status = await client.sendRequest(RunnerStatusRequest, {
      folder: root,
      connection: 'embedded',
    });
    expect(status.connection).toMatchObject({ kind: 'embedded', scratch: true });
    expect(status.connection.label).toBe(`embedded scratch database in ${workspace}/.pgmig`);
    expect(status.pending).toBe(3);
    const up = await client.sendRequest(RunnerUpRequest, {
      folder: root,
      connection: 'embedded',
      runId: 'run-1',
      to: '00002',
    });
    expect(up.ok).toBe(true);
    expect(up.done.map((d) => d.version)).toEqual(['00001', '00002']);
    expect(up.status?.entries.map((e) => e.state)).toEqual(['applied', 'applied', 'pending']);
    expect(up.status?.pending).toBe(1);
    const mine = events.filter((e) => e.runId === 'run-1').map((e) => e.event);
    expect(mine.map((e) => e.type)).toEqual([
      'connected',
      'migration-start',
      'statement-start',
      'statement-end',
      'migration-end',
      'migration-start',
      'statement-start',
      'statement-end',
      'migration-end',
    ]);
    const end = mine.find((e) => e.type === 'statement-end');
    expect(end).toMatchObject({
      file: `${root}/00001_users.sql`,
      line: 1,
      text: 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL)',
    });
    expect(typeof (end as { durationMs: number }).durationMs).toBe('number');
  });

  it('a failed statement comes back located, for a diagnostic', async () => {
    const root = writeFolder({
      '001_bad.sql':
        '-- UP\nCREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b nosuchtype;\n-- DOWN\n',
    });
    const up = await client.sendRequest(RunnerUpRequest, { folder: root, connection: 'memory' });
    expect(up.ok).toBe(false);
    expect(up.failure).toMatchObject({
      kind: 'sql',
      file: `${root}/001_bad.sql`,
      line: 2,
      character: 'ALTER TABLE a ADD COLUMN b '.length,
      code: '42704',
      range: {
        start: { line: 2, character: 0 },
        end: { line: 2, character: 'ALTER TABLE a ADD COLUMN b nosuchtype'.length },
      },
    });
    expect(failures.at(-1)?.message).toBe('type "nosuchtype" does not exist');
  });

  it('cancel stops a running statement on the server', async () => {
    const t = await createDatabase();
    try {
      const root = writeFolder({ '001_slow.sql': '-- UP\nSELECT pg_sleep(60);\n-- DOWN\n' });
      const pending = client.sendRequest(RunnerUpRequest, {
        folder: root,
        connection: { url: t.url },
        runId: 'slow',
      });
      await until('the sleeping statement', async () => {
        const r = await admin(
          "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(60)'",
        );
        return r.rowCount ? true : undefined;
      });
      await client.sendNotification(RunnerCancelNotification, { runId: 'slow' });
      const up = await pending;
      expect(up.failure).toMatchObject({ kind: 'cancelled', line: 1 });
      expect(up.status?.entries.map((e) => e.state)).toEqual(['pending']);
    } finally {
      await t.drop();
    }
  });

  it('asks the client for a password when the server wants one, once per connection', async () => {
    const root = fixture('dbmate');
    const connection = {
      name: 'cluster',
      host: '127.0.0.1',
      port: cluster.port,
      user: 'postgres',
      database: 'postgres',
      sslmode: 'require' as const,
    };
    const s1 = await client.sendRequest(RunnerStatusRequest, { folder: root, connection });
    const s2 = await client.sendRequest(RunnerStatusRequest, { folder: root, connection });
    expect([s1.pending, s2.pending]).toEqual([3, 3]);
    expect(s1.connection).toMatchObject({
      kind: 'server',
      name: 'cluster',
      scratch: false,
      protected: false,
    });
    expect(passwordsAsked).toEqual([
      {
        name: 'cluster',
        host: '127.0.0.1',
        port: cluster.port,
        user: 'postgres',
        database: 'postgres',
      },
    ]);
  });

  it('new creates the next migration; a bad connection is an error with its kind', async () => {
    const root = fixture('plain');
    const made = await client.sendRequest(RunnerNewRequest, {
      folder: root,
      name: 'add index',
      transactional: false,
    });
    expect(made).toEqual({ files: [`${root}/004_add_index.sql`], version: '004' });
    await expect(
      client.sendRequest(RunnerStatusRequest, {
        folder: root,
        connection: { name: 'x', url: 'mysql://nope' },
      }),
    ).rejects.toMatchObject({
      code: RUNNER_ERROR,
      data: { kind: 'config' },
    });
  });
});
