/**
 * The runner's requests on the built language server, as the editor sends them: which folders
 * hold migrations, status / up / down on the workspace's embedded scratch database with the
 * statement events the migrations log shows, a failing statement with its place, and DOWN on a
 * protected connection (a real server) refused until confirmed by name, with its DROPs planned.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MigrationFoldersRequest,
  type MigrationFoldersResult,
} from '../../server/src/protocol/migrationFolders';
import {
  RunnerDownRequest,
  RunnerEventNotification,
  RunnerStatusRequest,
  RunnerUpRequest,
  type EventParams,
  type WireNamedConnection,
} from '../../server/src/protocol/runner';
import { createDatabase, type TestDatabase } from '../db/helpers/server';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient } from './client';

const USERS = '20240101000000_create_users.sql';
const ORDERS = '20240102000000_create_orders.sql';
const BROKEN = '20240103000000_broken.sql';

const FILES = {
  [`db/migrations/${USERS}`]:
    '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n\n-- migrate:down\nDROP TABLE users;\n',
  [`db/migrations/${ORDERS}`]:
    '-- migrate:up\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\n\n-- migrate:down\nDROP INDEX orders_user_id_idx;\nDROP TABLE orders;\n',
  // a report query next to the app: not a migration
  'scripts/report.sql': 'SELECT count(*) FROM users;\n',
};

// PGlite starts slowly on a busy machine
const SLOW = 240_000;

describe('runner requests on the language server', () => {
  let ws: string;
  let client: TestClient;
  const events: EventParams[] = [];

  beforeAll(async () => {
    ws = writeFolder(FILES);
    client = await TestClient.start({ root: ws });
    client.connection.onNotification(RunnerEventNotification, (p) => events.push(p));
  });

  afterAll(async () => {
    await client?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const folder = () => join(ws, 'db/migrations');

  it('names the migration folders among the files the editor found', async () => {
    const r: MigrationFoldersResult = await client.connection.sendRequest(MigrationFoldersRequest, {
      files: [join(folder(), USERS), join(folder(), ORDERS), join(ws, 'scripts/report.sql')],
    });
    expect(r.folders.map((f) => f.root)).toEqual([folder()]);
    await expect(
      client.connection.sendRequest(MigrationFoldersRequest, { files: 'nope' as never }),
    ).rejects.toThrow(/files must be an array/);
  });

  it(
    'status, up and down on the embedded database of the workspace, with statement events',
    async () => {
      const status = await client.connection.sendRequest(RunnerStatusRequest, {
        folder: folder(),
        connection: 'embedded',
      });
      expect(status.connection.scratch).toBe(true);
      expect(status.connection.label).toContain(join(ws, '.pgmig'));
      expect(existsSync(join(ws, '.pgmig'))).toBe(true);
      expect(status.entries.map((e) => [e.version, e.state])).toEqual([
        ['20240101000000', 'pending'],
        ['20240102000000', 'pending'],
      ]);
      expect(status.pending).toBe(2);

      const up = await client.connection.sendRequest(RunnerUpRequest, {
        folder: folder(),
        connection: 'embedded',
        file: join(folder(), USERS),
        runId: 'run-1',
      });
      expect(up.failure).toBeUndefined();
      expect(up.done.map((d) => [d.version, d.direction])).toEqual([['20240101000000', 'up']]);
      expect(up.status?.entries.map((e) => e.state)).toEqual(['applied', 'pending']);
      const ends = events.filter((e) => e.runId === 'run-1' && e.event.type === 'statement-end');
      expect(ends).toHaveLength(1);
      const end = ends[0].event as Extract<EventParams['event'], { type: 'statement-end' }>;
      expect(end.file).toBe(join(folder(), USERS));
      expect(end.line).toBe(1);
      expect(end.text).toMatch(/^CREATE TABLE users/);
      expect(end.durationMs).toBeGreaterThanOrEqual(0);

      const down = await client.connection.sendRequest(RunnerDownRequest, {
        folder: folder(),
        connection: 'embedded',
        file: join(folder(), USERS),
        runId: 'run-2',
      });
      expect(down.failure).toBeUndefined();
      expect(down.done.map((d) => [d.version, d.direction])).toEqual([['20240101000000', 'down']]);
      expect(down.status?.entries.map((e) => e.state)).toEqual(['pending', 'pending']);
    },
    SLOW,
  );

  it(
    'a failing statement comes back with its file, range, SQLSTATE and message',
    async () => {
      writeFileSync(
        join(folder(), BROKEN),
        '-- migrate:up\nCREATE INDEX widgets_name_idx ON widgets (name);\n\n-- migrate:down\nDROP INDEX widgets_name_idx;\n',
      );
      const up = await client.connection.sendRequest(RunnerUpRequest, {
        folder: folder(),
        connection: 'embedded',
        runId: 'run-3',
      });
      expect(up.ok).toBe(false);
      expect(up.failure).toMatchObject({
        kind: 'sql',
        version: '20240103000000',
        file: join(folder(), BROKEN),
        code: '42P01',
      });
      expect(up.failure?.message).toMatch(/widgets/);
      expect(up.failure?.range?.start.line).toBe(1);
      // the two good ones went in before it; the broken one rolled back with its transaction
      expect(up.status?.entries.map((e) => e.state)).toEqual(['applied', 'applied', 'pending']);
      expect(events.some((e) => e.runId === 'run-3' && e.event.type === 'migration-failed')).toBe(
        true,
      );
    },
    SLOW,
  );

  describe('a protected connection on a real server', () => {
    let db: TestDatabase;
    let prod: WireNamedConnection;

    beforeAll(async () => {
      db = await createDatabase('pgmig_lsp');
      prod = { name: 'prod', url: db.url, protected: true };
    });
    afterAll(async () => {
      await db?.drop();
    });

    it(
      'refuses DOWN until confirmed by name, and plans the DROPs it will run',
      async () => {
        rmSync(join(folder(), BROKEN), { force: true });
        const up = await client.connection.sendRequest(RunnerUpRequest, {
          folder: folder(),
          connection: prod,
        });
        expect(up.failure).toBeUndefined();
        expect(up.status?.connection).toMatchObject({
          name: 'prod',
          protected: true,
          scratch: false,
        });

        const refused = await client.connection.sendRequest(RunnerDownRequest, {
          folder: folder(),
          connection: prod,
        });
        expect(refused.failure?.kind).toBe('confirmation-required');
        expect(refused.done).toEqual([]);
        expect(refused.planned?.map((p) => [p.version, p.direction])).toEqual([
          ['20240102000000', 'down'],
        ]);
        expect(refused.planned?.[0].statements.join('\n')).toMatch(/DROP TABLE orders/);
        expect(await db.query("SELECT to_regclass('orders') AS t")).toEqual([{ t: 'orders' }]);

        const confirmed = await client.connection.sendRequest(RunnerDownRequest, {
          folder: folder(),
          connection: prod,
          confirm: 'prod',
        });
        expect(confirmed.failure).toBeUndefined();
        expect(confirmed.done.map((d) => d.version)).toEqual(['20240102000000']);
        expect(await db.query("SELECT to_regclass('orders') AS t")).toEqual([{ t: null }]);
      },
      SLOW,
    );
  });
});
