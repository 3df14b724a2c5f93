/**
 * The server's own commands. "Show documentation" opens a rule's page through the client
 * (window/showDocument), or names the URL when the client cannot open one.
 */
import type { Connection } from 'vscode-languageserver/node';
import { ruleById } from '../rules';
import { SHOW_DOCUMENTATION_COMMAND } from '../protocol/server';
import { docsUrl } from './diagnostics';
import { BadParams } from './guard';

export const SERVER_COMMANDS = [SHOW_DOCUMENTATION_COMMAND];

export async function executeCommand(
  connection: Connection,
  command: string,
  args: unknown[] | undefined,
  docsBaseUrl: string,
  canShowDocument: boolean,
): Promise<null> {
  if (command !== SHOW_DOCUMENTATION_COMMAND) throw new BadParams(`unknown command ${command}`);
  const rule = args?.[0];
  if (typeof rule !== 'string' || !ruleById(rule))
    throw new BadParams(`${command} takes a rule id, got ${JSON.stringify(rule)}`);
  const url = docsUrl(docsBaseUrl, rule);
  if (canShowDocument) {
    const r = await connection.window.showDocument({ uri: url, external: true });
    if (r.success) return null;
  }
  void connection.window.showInformationMessage(`pgmig: documentation for ${rule}: ${url}`);
  return null;
}
