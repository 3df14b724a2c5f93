/**
 * Owns the language client's lifetime: start, stop and restart are serialised so that two quick
 * restarts (command + settings change) never leave two servers running, and every transition is
 * published to the status item.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  ServerStatusNotification,
  type ServerStatusParams,
} from '../../server/src/protocol/server';
import { CONFIG_SECTION } from './constants';
import { createLanguageClient, WATCHED_FILES } from './languageClient';
import type { Logs } from './logger';

export type ServerState = 'disabled' | 'starting' | 'running' | 'stopped' | 'failed';

export interface ServerStatus {
  state: ServerState;
  /** Why it failed or stopped. */
  detail?: string;
  /** What a running server last reported about itself (pgmig/status). */
  server?: ServerStatusParams;
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private clientSubscriptions: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private current: ServerStatus = { state: 'stopped' };
  private readonly changed = new vscode.EventEmitter<ServerStatus>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES);

  /** Fires on every state change, and when the server reports its status. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logs: Logs,
  ) {}

  get status(): ServerStatus {
    return this.current;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  static enabled(): boolean {
    return vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('enable', true);
  }

  /** Starts the server if `pgmig.enable` allows it, stops it otherwise. Never throws. */
  sync(): Promise<void> {
    return this.serialise(async () => {
      if (!ServerController.enabled()) {
        await this.stopClient();
        this.set({ state: 'disabled', detail: 'pgmig.enable is false' });
        return;
      }
      if (!this.client) await this.startClient();
    });
  }

  /** Stops the running server (if any) and starts a fresh one; rejects when it cannot start. */
  restart(): Promise<void> {
    return this.serialise(async () => {
      await this.stopClient();
      if (!ServerController.enabled()) {
        this.set({ state: 'disabled', detail: 'pgmig.enable is false' });
        throw new Error('pgmig is disabled by the setting pgmig.enable');
      }
      await this.startClient();
      if (this.current.state !== 'running') throw new Error(this.current.detail ?? 'see the logs');
    });
  }

  stop(): Promise<void> {
    return this.serialise(() => this.stopClient());
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.watcher.dispose();
    this.changed.dispose();
  }

  private serialise<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private set(status: ServerStatus): void {
    if (status.state !== this.current.state || status.detail !== this.current.detail) {
      this.logs.client.info(`server ${status.state}${status.detail ? `: ${status.detail}` : ''}`);
    }
    this.current = status;
    this.changed.fire(status);
  }

  /** A running server's own report (ready, linting, a broken pgmig.json) refines "running". */
  private serverReported(client: LanguageClient, params: ServerStatusParams): void {
    if (this.client !== client) return;
    // A report that beats our own "running" (the client's state event) is kept for it.
    if (this.current.state !== 'running' && this.current.state !== 'starting') return;
    if (params.state === 'error' && params.detail !== this.current.server?.detail) {
      this.logs.client.warn(`server reports: ${params.detail ?? 'an error'}`);
    }
    this.current = { ...this.current, server: params };
    this.changed.fire(this.current);
  }

  private async startClient(): Promise<void> {
    this.set({ state: 'starting' });
    let client: LanguageClient;
    try {
      client = createLanguageClient(this.extensionUri, this.logs, this.watcher);
    } catch (err) {
      this.logs.error('cannot create the language client', err);
      this.set({ state: 'failed', detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.client = client;
    this.clientSubscriptions.push(
      client.onDidChangeState((e) => {
        // A stop we did not ask for is a crash the client gave up restarting.
        if (e.newState === State.Stopped && !this.stopping && this.client === client) {
          this.set({ state: 'failed', detail: 'the language server stopped; see its log' });
        } else if (e.newState === State.Running) {
          this.set({ state: 'running', server: this.current.server });
        } else if (e.newState === State.Starting) {
          this.set({ state: 'starting' });
        }
      }),
      client.onNotification(ServerStatusNotification, (p) => this.serverReported(client, p)),
    );
    try {
      await client.start();
      if (this.current.state !== 'running') this.set({ state: 'running' });
    } catch (err) {
      this.logs.error('the language server failed to start', err);
      await this.discard(client);
      this.set({ state: 'failed', detail: err instanceof Error ? err.message : String(err) });
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.discard(client);
    this.set({ state: 'stopped' });
  }

  private async discard(client: LanguageClient): Promise<void> {
    this.stopping = true;
    try {
      // The timeout keeps a hung server from blocking a restart forever.
      if (client.isRunning()) await client.stop(5000);
    } catch (err) {
      this.logs.error('stopping the language server', err);
    } finally {
      if (this.client === client) this.client = undefined;
      for (const d of this.clientSubscriptions.splice(0)) d.dispose();
      await client.dispose().catch(() => undefined);
      this.stopping = false;
    }
  }
}
