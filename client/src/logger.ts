/**
 * The three output channels. They are created once per activation and outlive language-client
 * restarts, so a crash and the restart that follows stay readable in one place.
 */
import * as vscode from 'vscode';
import { Channels, type ChannelKind } from './constants';
import { redact } from '../../server/src/db/redact';

export class Logs implements vscode.Disposable {
  readonly client = vscode.window.createOutputChannel(Channels.client, { log: true });
  readonly server = vscode.window.createOutputChannel(Channels.server, { log: true });
  readonly trace = vscode.window.createOutputChannel(Channels.trace, { log: true });

  channel(kind: ChannelKind): vscode.LogOutputChannel {
    return this[kind];
  }

  /** Logs an error with its stack (the message shown to the user has no stack). */
  error(context: string, err: unknown): void {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.client.error(`${context}: ${redact(detail)}`);
  }

  dispose(): void {
    this.client.dispose();
    this.server.dispose();
    this.trace.dispose();
  }
}
