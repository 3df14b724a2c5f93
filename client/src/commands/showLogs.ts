import * as vscode from 'vscode';
import { Channels, type ChannelKind } from '../constants';
import { CommandAbortError } from '../util/commandError';
import type { CommandContext } from './index';

const CHOICES: ReadonlyArray<{ channel: ChannelKind; label: string; detail: string }> = [
  { channel: 'server', label: Channels.server, detail: 'What the language server logs' },
  { channel: 'client', label: Channels.client, detail: 'Extension events, command errors' },
  {
    channel: 'trace',
    label: Channels.trace,
    detail: 'LSP messages; set pgmig.trace.server to "messages" or "verbose" to fill it',
  },
];

/** Shows one log channel: the one named by the argument, else the one the user picks. */
export async function showLogs(ctx: CommandContext, which?: unknown): Promise<void> {
  let kind: ChannelKind | undefined;
  if (which === undefined) {
    kind = (await vscode.window.showQuickPick(CHOICES, { placeHolder: 'Which pgmig log?' }))
      ?.channel;
    if (!kind) throw new CommandAbortError();
  } else if (typeof which === 'string' && CHOICES.some((c) => c.channel === which)) {
    kind = which as ChannelKind;
  } else {
    throw new Error(`unknown log ${JSON.stringify(which)}; expected client, server or trace`);
  }
  ctx.logs.channel(kind).show(true);
}
