/**
 * The runner's requests on the language server connection (protocol/runner.ts). The server calls
 * `registerRunnerHandlers(connection)` once; runs report their events as notifications, can be
 * cancelled by runId, and ask the client for a password only when a server wants one.
 */
import { ResponseError, type Connection } from 'vscode-languageserver';
import { loadSettings } from '../config/load';
import { openDatabase, type Database } from '../db/open';
import { resolveConnection } from '../db/resolve';
import { folderOfFile, isDirectory, loadFolder } from '../folder/load';
import { initParser } from '../parser/parse';
import {
  RunnerWeighRequest,
  type WeighResult,
  RunnerCancelNotification,
  RunnerDownRequest,
  RunnerEventNotification,
  RunnerNewRequest,
  RunnerRedoRequest,
  RunnerResolveRequest,
  RunnerStatusRequest,
  RunnerUpRequest,
  type RunnerTarget,
  type WireFailure,
  type WireRunResult,
} from '../protocol/runner';
import { loadRunnerConfig } from './config';
import { createMigration, NewMigrationError } from './newMigration';
import { dbChoice, passwordFromEditor, sharedErrorKind } from './requestSupport';
import { Runner, type RunResult } from './runner';
import type { TableSize } from '../linter/tableSize';
import { sizesOn } from '../trace/size';
import type { RunnerSettings } from './types';
import { wireRunResult, wireStatus } from './wire';

export interface RunnerHandlerOptions {
  /**
   * The workspace root of a migration folder: its `.env` is read, and the embedded database lives
   * in its `.pgmig/`.
   */
  workspaceRoot?: (folder: string) => string | undefined;
  /** A failed statement with its file and range, to show as a diagnostic. */
  onFailure?: (failure: WireFailure) => void;
  /** Table sizes to weigh findings by (undefined: stop weighing). */
  onTableSizes?: (sizes: ReadonlyMap<string, TableSize> | undefined) => void;
  /** How long the embedded database stays open after a request (default 5 minutes). */
  embeddedLingerMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Error codes of ResponseErrors from these handlers (data: `{ kind }`). */
export const RUNNER_ERROR = -32001;

interface Prepared {
  runner: Runner;
  db: Database;
}

export function registerRunnerHandlers(
  connection: Connection,
  options: RunnerHandlerOptions = {},
): { dispose(): Promise<void> } {
  const databases = new Map<string, Promise<Database>>();
  const runs = new Map<string, AbortController>();

  const askPassword = passwordFromEditor(connection);

  const prepare = async (t: RunnerTarget, signal?: AbortSignal): Promise<Prepared> => {
    await initParser();
    const root = isDirectory(t.folder) ? t.folder : folderOfFile(t.folder);
    const loaded = loadSettings({ cwd: root });
    const config = loadRunnerConfig(loaded.configFile);
    const folder = loadFolder(root, { format: loaded.settings.format });
    const workspace = options.workspaceRoot?.(root) ?? loaded.baseDir;
    const resolved = resolveConnection({
      db: dbChoice(t.connection),
      named: config.connections,
      env: options.env ?? process.env,
      workspaceRoot: workspace,
      embeddedRoot: workspace,
    });
    // a server connection is kept (with the password it was given); the embedded database is
    // opened per request and lingers open between requests
    const key = JSON.stringify(
      resolved.kind === 'server'
        ? { ...resolved.params, password: undefined, name: resolved.name }
        : undefined,
    );
    let opened = resolved.kind === 'server' ? databases.get(key) : undefined;
    if (!opened) {
      opened = openDatabase(resolved, {
        passwordProvider: askPassword,
        embeddedLingerMs: options.embeddedLingerMs ?? 5 * 60_000,
        applicationName: 'pgmig (editor)',
      });
      if (resolved.kind === 'server') {
        databases.set(key, opened);
        opened.catch(() => databases.delete(key));
      }
    }
    const database = await opened;
    const settings: Partial<RunnerSettings> = { ...config.settings };
    if (t.lockTimeoutMs !== undefined) settings.lockTimeoutMs = t.lockTimeoutMs;
    if (t.lockRetries !== undefined) settings.lockRetries = t.lockRetries;
    const runner = new Runner({
      folder,
      db: database,
      settings,
      signal,
      onEvent: (event) =>
        void connection.sendNotification(RunnerEventNotification, { runId: t.runId, event }),
    });
    return { runner, db: database };
  };

  const fail = (e: unknown): never => {
    if (e instanceof ResponseError) throw e;
    const kind = sharedErrorKind(e) ?? 'other';
    throw new ResponseError(RUNNER_ERROR, (e as Error)?.message ?? String(e), { kind });
  };

  /** Runs a request that changes the database, with its runId cancellable. */
  const run = async (
    t: RunnerTarget,
    body: (r: Runner) => Promise<RunResult>,
  ): Promise<WireRunResult> => {
    const controller = new AbortController();
    if (t.runId) runs.set(t.runId, controller);
    try {
      const { runner, db } = await prepare(t, controller.signal);
      try {
        const result = wireRunResult(await body(runner));
        if (result.failure?.file && result.failure.range) options.onFailure?.(result.failure);
        return result;
      } finally {
        if (db.info.kind !== 'server') await db.close();
      }
    } catch (e) {
      return fail(e);
    } finally {
      if (t.runId) runs.delete(t.runId);
    }
  };

  connection.onRequest(RunnerStatusRequest, async (p) => {
    try {
      const { runner, db } = await prepare(p);
      try {
        return wireStatus(await runner.status());
      } finally {
        if (db.info.kind !== 'server') await db.close();
      }
    } catch (e) {
      return fail(e);
    }
  });
  connection.onRequest(RunnerUpRequest, (p) =>
    run(p, (r) => r.up({ to: p.to, file: p.file, dryRun: p.dryRun })),
  );
  connection.onRequest(RunnerDownRequest, (p) =>
    run(p, (r) =>
      r.down({ count: p.count, to: p.to, file: p.file, dryRun: p.dryRun, confirm: p.confirm }),
    ),
  );
  connection.onRequest(RunnerRedoRequest, (p) =>
    run(p, (r) => r.redo({ dryRun: p.dryRun, confirm: p.confirm })),
  );
  connection.onRequest(RunnerResolveRequest, (p) => run(p, (r) => r.resolve(p.version, p.action)));
  connection.onRequest(RunnerNewRequest, async (p) => {
    try {
      await initParser();
      const root = isDirectory(p.folder) ? p.folder : folderOfFile(p.folder);
      const loaded = loadSettings({ cwd: root });
      const folder = loadFolder(root, { format: loaded.settings.format });
      return createMigration(folder, p.name, { transactional: p.transactional });
    } catch (e) {
      if (e instanceof NewMigrationError)
        throw new ResponseError(RUNNER_ERROR, e.message, { kind: 'plan' });
      return fail(e);
    }
  });
  connection.onRequest(RunnerWeighRequest, async (p): Promise<WeighResult> => {
    const c = p?.target?.connection;
    if (!p?.target || c === 'embedded' || c === 'memory') {
      options.onTableSizes?.(undefined);
      return { tables: 0 };
    }
    try {
      const { db } = await prepare(p.target);
      if (db.info.kind !== 'server') {
        await db.close();
        options.onTableSizes?.(undefined);
        return { tables: 0 };
      }
      const sizes = await sizesOn(db);
      options.onTableSizes?.(sizes);
      return { label: db.info.label, tables: sizes.size };
    } catch (e) {
      return fail(e);
    }
  });
  connection.onNotification(RunnerCancelNotification, (p) => runs.get(p.runId)?.abort());

  return {
    async dispose() {
      for (const c of runs.values()) c.abort();
      const all = [...databases.values()];
      databases.clear();
      await Promise.all(all.map((d) => d.then((x) => x.close()).catch(() => {})));
    },
  };
}
