/**
 * The runner's requests through the language server (protocol/runner.ts). It follows the
 * server controller across restarts: each new language client gets the `password` request
 * handler and the `event` notification handler, and requests wait for a starting server.
 */
import * as vscode from 'vscode';
import { ResponseError, type LanguageClient, type RequestType } from 'vscode-languageclient/node';
import {
  RunnerCancelNotification,
  RunnerEventNotification,
  RunnerPasswordRequest,
  type EventParams,
  type WireEvent,
} from '../../../server/src/protocol/runner';
import {
  TraceCancelNotification,
  TraceProgressNotification,
  type TraceProgressParams,
} from '../../../server/src/protocol/trace';
import type { PasswordStore } from '../connections/passwords';
import type { Logs } from '../logger';
import type { ServerController } from '../serverController';
import { UserFacingError } from '../util/commandError';

/** How long a request waits for a server that is still starting (the machine may be busy). */
const START_WAIT_MS = 120_000;

/** How db/errors.ts words a refused password. */
const AUTH_FAILED = /password authentication failed|rejected the connection for user/;

/** A runner request failed on the server; `kind` says why (auth, unreachable, config, …). */
export class RunnerRequestError extends UserFacingError {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

export class RunnerClient implements vscode.Disposable {
  private attached: LanguageClient | undefined;
  private attachment: vscode.Disposable[] = [];
  private readonly listeners = new Map<string, (event: WireEvent) => void>();
  private readonly traceListeners = new Map<string, (p: TraceProgressParams) => void>();
  private readonly subscription: vscode.Disposable;
  private readonly attachedEmitter = new vscode.EventEmitter<void>();
  /** Fires when a (re)started language server is ready for runner requests. */
  readonly onDidAttach = this.attachedEmitter.event;

  constructor(
    private readonly server: ServerController,
    private readonly passwords: PasswordStore,
    private readonly logs: Logs,
  ) {
    this.subscription = server.onDidChange(() => this.sync());
    this.sync();
  }

  get ready(): boolean {
    return this.attached !== undefined;
  }

  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    const client = await this.client();
    try {
      const result = await client.sendRequest(type, params);
      // runs report a refused login in their result rather than as an error
      const failure = (result as { failure?: { kind?: string; message?: string } })?.failure;
      if (failure?.kind === 'connection' && AUTH_FAILED.test(failure.message ?? ''))
        await this.passwords.rejected();
      return result;
    } catch (e) {
      throw await this.explain(e, type.method);
    } finally {
      this.passwords.settled();
    }
  }

  /** Routes the `event` notifications of one run to `listener` until disposed. */
  listen(runId: string, listener: (event: WireEvent) => void): vscode.Disposable {
    this.listeners.set(runId, listener);
    return new vscode.Disposable(() => this.listeners.delete(runId));
  }

  cancel(runId: string): void {
    void this.attached
      ?.sendNotification(RunnerCancelNotification, { runId })
      .catch((e: unknown) => this.logs.error('sending cancel', e));
  }

  /** Routes the `progress` notifications of one trace or verification until disposed. */
  listenTrace(traceId: string, listener: (p: TraceProgressParams) => void): vscode.Disposable {
    this.traceListeners.set(traceId, listener);
    return new vscode.Disposable(() => this.traceListeners.delete(traceId));
  }

  cancelTrace(traceId: string): void {
    void this.attached
      ?.sendNotification(TraceCancelNotification, { traceId })
      .catch((e: unknown) => this.logs.error('sending cancel', e));
  }

  /** The running language client, waiting for one that is starting. */
  private async client(): Promise<LanguageClient> {
    if (this.attached) return this.attached;
    const state = this.server.status.state;
    if (state === 'disabled' || state === 'failed' || state === 'stopped')
      throw new UserFacingError(
        `pgmig: migrations run through the language server, which is ${state}` +
          (this.server.status.detail ? ` (${this.server.status.detail})` : '') +
          '. Enable it (pgmig.enable) or restart it (pgmig: Restart Language Server).',
      );
    return new Promise<LanguageClient>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new UserFacingError('pgmig: the language server did not start in time'));
      }, START_WAIT_MS);
      const sub = this.onDidAttach(() => {
        if (!this.attached) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(this.attached);
      });
    });
  }

  private sync(): void {
    const client = this.server.status.state === 'running' ? this.server.languageClient : undefined;
    if (client === this.attached) return;
    for (const d of this.attachment.splice(0)) d.dispose();
    this.attached = client;
    if (!client) return;
    this.attachment.push(
      client.onRequest(RunnerPasswordRequest, (p) => this.passwords.answer(p)),
      client.onNotification(RunnerEventNotification, (p: EventParams) => {
        if (p?.runId) this.listeners.get(p.runId)?.(p.event);
      }),
      client.onNotification(TraceProgressNotification, (p: TraceProgressParams) => {
        if (p?.traceId) this.traceListeners.get(p.traceId)?.(p);
      }),
    );
    this.attachedEmitter.fire();
  }

  private async explain(e: unknown, method: string): Promise<Error> {
    if (e instanceof ResponseError) {
      const kind = (e.data as { kind?: unknown } | undefined)?.kind;
      if (kind === 'auth') await this.passwords.rejected();
      if (typeof kind === 'string') return new RunnerRequestError(`pgmig: ${e.message}`, kind);
      return new Error(`${method}: ${e.message}`);
    }
    return e instanceof Error ? e : new Error(String(e));
  }

  dispose(): void {
    this.subscription.dispose();
    for (const d of this.attachment.splice(0)) d.dispose();
    this.listeners.clear();
    this.traceListeners.clear();
    this.attachedEmitter.dispose();
  }
}
