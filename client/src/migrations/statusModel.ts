/**
 * What the database says about each migration folder, per connection: the runner's status,
 * fetched on demand and kept until something changes it (a run, a migration file edited, a
 * connection setting). One request per connection and folder at a time.
 */
import * as vscode from 'vscode';
import { RunnerStatusRequest, type WireStatus } from '../../../server/src/protocol/runner';
import type { ConnectionChoice, ConnectionStore } from '../connections/connectionStore';
import type { Logs } from '../logger';
import type { MigrationFolders } from './folders';
import type { RunnerClient } from './runnerClient';

export interface FolderStatus {
  status?: WireStatus;
  /** Why the status could not be read (connection refused, no password, …). */
  error?: string;
  /** The error was a missing password in a background refresh: a click can ask for it. */
  needsPassword?: boolean;
}

const DEBOUNCE_MS = 400;

export class MigrationStatusModel implements vscode.Disposable {
  private readonly cache = new Map<string, FolderStatus>();
  private readonly inFlight = new Map<string, Promise<FolderStatus>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Runs in flight by connection: the embedded database has a single session shared by every
   * connection, so a status query must not interleave with a run's transaction. */
  private readonly runs = new Map<string, Promise<unknown>>();
  /** Fires when a status was loaded, set or dropped. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly runner: RunnerClient,
    private readonly connections: ConnectionStore,
    private readonly folders: MigrationFolders,
    private readonly logs: Logs,
  ) {
    const sql = vscode.workspace.createFileSystemWatcher('**/*.sql');
    this.subscriptions.push(
      this.changed,
      sql,
      sql.onDidChange(() => this.invalidateSoon()),
      sql.onDidCreate(() => this.invalidateSoon()),
      sql.onDidDelete(() => this.invalidateSoon()),
      connections.onDidChange(() => this.invalidate()),
      folders.onDidChange(() => this.invalidateSoon()),
      runner.onDidAttach(() => this.invalidate()),
    );
  }

  get(conn: ConnectionChoice, root: string): FolderStatus | undefined {
    return this.cache.get(key(conn, root));
  }

  /** The cached status, else loads it; never rejects (errors are part of the result). */
  load(conn: ConnectionChoice, root: string): Promise<FolderStatus> {
    const k = key(conn, root);
    const cached = this.cache.get(k);
    if (cached) return Promise.resolve(cached);
    let p = this.inFlight.get(k);
    if (!p) {
      const generation = this.generation;
      const run = this.runs.get(conn.id) ?? Promise.resolve();
      p = run
        .then(() => this.fetch(conn, root))
        .then((s) => {
          this.inFlight.delete(k);
          // an invalidation during the request makes its answer stale: load again next time
          if (generation === this.generation) {
            this.cache.set(k, s);
            this.changed.fire();
          }
          return s;
        });
      this.inFlight.set(k, p);
    }
    return p;
  }

  /** Statuses of every migration folder on one connection. */
  async loadAll(conn: ConnectionChoice): Promise<Array<{ root: string } & FolderStatus>> {
    const folders = await this.folders.list();
    return Promise.all(
      folders.map(async (f) => ({ root: f.root, ...(await this.load(conn, f.root)) })),
    );
  }

  /**
   * Runs `body` (a run on `conn`) after the status requests on `conn` in flight, and holds new
   * ones until it settles.
   */
  async during<T>(conn: ConnectionChoice, body: () => Promise<T>): Promise<T> {
    const loading = [...this.inFlight]
      .filter(([k]) => k.startsWith(`${conn.id}\n`))
      .map(([, p]) => p);
    const run = Promise.all(loading).then(body);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    const chained = Promise.all([this.runs.get(conn.id), settled]);
    this.runs.set(conn.id, chained);
    try {
      return await run;
    } finally {
      if (this.runs.get(conn.id) === chained) this.runs.delete(conn.id);
    }
  }

  /** A run's result carries the status after it: no second request needed. */
  set(conn: ConnectionChoice, root: string, status: WireStatus): void {
    this.cache.set(key(conn, root), { status });
    this.changed.fire();
  }

  /** Drops every cached status (or one connection's); the view loads what it shows again. */
  invalidate(conn?: ConnectionChoice): void {
    clearTimeout(this.timer);
    this.generation++;
    if (!conn) this.cache.clear();
    else
      for (const k of [...this.cache.keys()])
        if (k.startsWith(`${conn.id}\n`)) this.cache.delete(k);
    this.changed.fire();
  }

  /** File changes come in bursts (a save, a git checkout): one refresh per burst. */
  private invalidateSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.invalidate(), DEBOUNCE_MS);
  }

  private async fetch(conn: ConnectionChoice, root: string): Promise<FolderStatus> {
    try {
      return {
        status: await this.runner.request(RunnerStatusRequest, {
          folder: root,
          connection: conn.wire,
        }),
      };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.logs.client.warn(`status of ${root} on ${conn.label}: ${error}`);
      const kind = (e as { kind?: string }).kind;
      return { error, needsPassword: kind === 'no-password' };
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

function key(conn: ConnectionChoice, root: string): string {
  return `${conn.id}\n${root}`;
}
