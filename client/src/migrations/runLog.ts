/**
 * The migrations log: what each run does, from the runner's `event` notifications — the
 * connection, each migration, every statement with its duration, retries, lock waits, notices
 * and failures. SQL can hold secrets (CREATE ROLE … PASSWORD '…'): those are masked.
 */
import * as vscode from 'vscode';
import type { WireEvent, WireFailure } from '../../../server/src/protocol/runner';
import { redact } from '../../../server/src/db/redact';
import { MIGRATIONS_CHANNEL } from './ids';
import { statementLine } from './sqlText';
import { formatDuration } from './treeNodes';

export function describeFailure(f: WireFailure): string {
  const where = f.file ? ` (${vscode.workspace.asRelativePath(f.file)}:${(f.line ?? 0) + 1})` : '';
  const code = f.code ? ` [${f.code}]` : '';
  const hint = f.hint ? `\n  hint: ${f.hint}` : '';
  const detail = f.detail ? `\n  detail: ${f.detail}` : '';
  return `${f.message}${code}${where}${detail}${hint}`;
}

export class RunLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel(MIGRATIONS_CHANNEL, { log: true });

  begin(what: string): void {
    this.channel.info(`── ${what}`);
  }

  event(e: WireEvent): void {
    const c = this.channel;
    switch (e.type) {
      case 'connected':
        c.info(
          `connected to ${redact(e.connection)} (PostgreSQL ${e.serverVersion}${e.scratch ? ', scratch database' : ''})`,
        );
        return;
      case 'lock-wait':
        c.warn(
          `waiting for the runner lock${e.holder ? ` held by backend ${e.holder}` : ''} (${formatDuration(e.waitedMs)} so far)`,
        );
        return;
      case 'lock-acquired':
        c.debug('runner lock acquired');
        return;
      case 'migration-start':
        c.info(
          `${e.direction === 'up' ? '▲ up' : '▼ down'} ${e.version} ${e.name}${e.transaction ? '' : ' (no transaction)'}`,
        );
        return;
      case 'statement-start':
        c.trace(`  … ${statementLine(e.text)}`);
        return;
      case 'statement-end':
        c.info(
          `  ${formatDuration(e.durationMs).padStart(8)}  ${vscode.workspace.asRelativePath(e.file)}:${e.line + 1}  ${statementLine(e.text)}`,
        );
        return;
      case 'retry':
        c.warn(
          `  retry ${e.attempt} of ${e.version} in ${formatDuration(e.delayMs)}: ${redact(e.reason)}`,
        );
        return;
      case 'notice':
        c.info(`  ${e.severity}: ${redact(e.message)}`);
        return;
      case 'migration-end':
        c.info(`✓ ${e.direction} ${e.version} ${e.name} in ${formatDuration(e.durationMs)}`);
        return;
      case 'migration-failed':
        // a protected connection's DOWN waits for the user: not a failure of the migration
        if (e.failure.kind === 'confirmation-required')
          c.info(`waiting for a confirmation: ${redact(e.failure.message)}`);
        else if (e.failure.kind === 'cancelled') c.warn(`✗ ${redact(describeFailure(e.failure))}`);
        else c.error(`✗ ${redact(describeFailure(e.failure))}`);
        return;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
