/**
 * Rolling back on a protected connection: a modal that names the connection and lists the DROP
 * statements the DOWN sections will run (the server's `planned` statements), before anything runs.
 */
import * as vscode from 'vscode';
import type { WirePlanned } from '../../../server/src/protocol/runner';
import type { ConnectionChoice } from '../connections/connectionStore';
import { dropStatements } from './sqlText';

const MAX_LISTED = 25;

/** Returns whether the user confirmed. */
export async function confirmProtectedDown(
  conn: ConnectionChoice,
  planned: WirePlanned[],
): Promise<boolean> {
  const downs = planned.filter((p) => p.direction === 'down');
  const drops = dropStatements(planned);
  const statements = downs.reduce((n, p) => n + p.statements.length, 0);
  const listed = drops.slice(0, MAX_LISTED);
  const lines = [
    `"${conn.label}" is a protected connection (${conn.description}).`,
    '',
    `Rolling back ${downs.map((p) => `${p.version} ${p.name}`).join(', ')} runs ${statements} statement(s).`,
    '',
    drops.length ? 'DROP statements it will run:' : 'It runs no DROP statement.',
    ...listed,
  ];
  if (drops.length > listed.length) lines.push(`… and ${drops.length - listed.length} more`);
  const button = `Roll Back on ${conn.label}`;
  const choice = await vscode.window.showWarningMessage(
    `Roll back on the protected connection "${conn.label}"?`,
    { modal: true, detail: lines.join('\n') },
    button,
  );
  return choice === button;
}
