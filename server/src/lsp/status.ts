/**
 * The server's state for the client's status item. "linting" is only reported once linting has
 * taken a moment, so typing in a small file does not make the status flicker.
 */
import type { Connection } from 'vscode-languageserver/node';
import {
  ServerStatusNotification,
  type ServerStatusParams,
  type ServerStatusState,
} from '../protocol/server';

const BUSY_AFTER_MS = 250;

export class StatusReporter {
  private last: ServerStatusParams | undefined;
  private busySince: NodeJS.Timeout | undefined;
  private error: string | undefined;

  constructor(private readonly connection: Connection) {}

  send(state: ServerStatusState, detail?: string, pending?: number): void {
    const next: ServerStatusParams = { state, detail, pending };
    if (
      this.last &&
      this.last.state === next.state &&
      this.last.detail === next.detail &&
      this.last.pending === next.pending
    )
      return;
    this.last = next;
    void this.connection.sendNotification(ServerStatusNotification, next).catch(() => undefined);
  }

  /** A lasting problem (a broken pgmig.json) shown until `clearError`. */
  setError(detail: string | undefined): void {
    this.error = detail;
    this.idle();
  }

  busy(pending: number): void {
    if (this.last?.state === 'linting') {
      this.send('linting', undefined, pending);
      return;
    }
    this.busySince ??= setTimeout(() => {
      this.busySince = undefined;
      this.send('linting', undefined, pending);
    }, BUSY_AFTER_MS);
  }

  idle(): void {
    if (this.busySince) clearTimeout(this.busySince);
    this.busySince = undefined;
    if (this.error) this.send('error', this.error);
    else this.send('ready');
  }
}
