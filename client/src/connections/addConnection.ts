/**
 * "pgmig: Add Connection": a short quick-input flow that writes a named connection to settings
 * (URL or host/port/database/user/sslmode, protected or not) — never its password: a password
 * typed into the URL is moved to secret storage.
 */
import * as vscode from 'vscode';
import { SSL_MODES } from '../../../server/src/db/types';
import type { WireNamedConnection } from '../../../server/src/protocol/runner';
import { CONFIG_SECTION } from '../constants';
import { CONNECTIONS_SETTING } from '../migrations/ids';
import type { MigrationsContext } from '../migrations/commands/context';
import { CommandAbortError } from '../util/commandError';
import { splitPassword } from './connectionSettings';

function ask<T>(value: T | undefined): T {
  if (value === undefined) throw new CommandAbortError();
  return value;
}

function checkUrl(v: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(v.trim())) return 'Starts with postgres:// or postgresql://';
  try {
    new URL(v.trim());
    return undefined;
  } catch {
    return 'Not a valid URL';
  }
}

interface Given {
  fields: Omit<WireNamedConnection, 'name'>;
  /** A password typed into the URL: it goes to secret storage, not to settings. */
  password?: string;
  /** A name to offer. */
  suggested: string;
}

async function urlConnection(): Promise<Given> {
  const raw = ask(
    await vscode.window.showInputBox({
      title: 'Add Connection (1/3): URL',
      prompt:
        'Leave the password out: pgmig asks for it when it connects and keeps it in secret storage',
      placeHolder: 'postgres://app@db.example.com:5432/app?sslmode=require',
      ignoreFocusOut: true,
      validateInput: checkUrl,
    }),
  ).trim();
  const { url, password } = splitPassword(raw);
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return { fields: { url }, password, suggested: database || new URL(url).hostname };
}

async function partsConnection(): Promise<Given> {
  const host = ask(
    await vscode.window.showInputBox({
      title: 'Add Connection (1/3): host',
      value: 'localhost',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give a host name or address'),
    }),
  ).trim();
  const port = Number(
    ask(
      await vscode.window.showInputBox({
        title: 'Add Connection: port',
        value: '5432',
        ignoreFocusOut: true,
        validateInput: (v) =>
          /^\d+$/.test(v.trim()) && Number(v) > 0 && Number(v) < 65536
            ? undefined
            : 'A port number',
      }),
    ),
  );
  const database = ask(
    await vscode.window.showInputBox({
      title: 'Add Connection: database',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give the database name'),
    }),
  ).trim();
  const user = ask(
    await vscode.window.showInputBox({
      title: 'Add Connection: user',
      value: 'postgres',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give the user name'),
    }),
  ).trim();
  const sslmode = ask(
    await vscode.window.showQuickPick(
      SSL_MODES.map((m) => ({ label: m, picked: m === 'prefer', mode: m })),
      {
        title: 'Add Connection: sslmode (prefer: TLS when the server offers it)',
        ignoreFocusOut: true,
      },
    ),
  ).mode;
  return { fields: { host, port, database, user, sslmode }, suggested: database };
}

export async function addConnection(ctx: MigrationsContext): Promise<void> {
  const how = ask(
    await vscode.window.showQuickPick(
      [
        {
          label: 'Connection URL',
          detail: 'postgres://user@host:port/database?sslmode=…',
          url: true,
        },
        { label: 'Host, port, database and user', detail: 'One at a time', url: false },
      ],
      { title: 'Add Connection', ignoreFocusOut: true },
    ),
  );
  const given: Given = how.url ? await urlConnection() : await partsConnection();
  const taken = new Set(ctx.connections.named().map((c) => c.name));
  const name = ask(
    await vscode.window.showInputBox({
      title: 'Add Connection (2/3): name',
      prompt: 'How pgmig shows this connection',
      value: taken.has(given.suggested) ? '' : given.suggested,
      ignoreFocusOut: true,
      validateInput: (v) =>
        !v.trim()
          ? 'Give it a name'
          : taken.has(v.trim())
            ? 'A connection has this name'
            : undefined,
    }),
  ).trim();
  const protect = ask(
    await vscode.window.showQuickPick(
      [
        { label: 'Development database', protected: false },
        {
          label: 'Protected (production, shared)',
          detail: 'Rolling back asks for a confirmation naming it and listing the DROP statements',
          protected: true,
        },
      ],
      { title: 'Add Connection (3/3): what kind of database?', ignoreFocusOut: true },
    ),
  ).protected;
  const connection: WireNamedConnection = {
    name,
    ...given.fields,
    ...(protect && { protected: true }),
  };

  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const inWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const target = inWorkspace
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<WireNamedConnection[]>(CONNECTIONS_SETTING);
  const current = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await config.update(CONNECTIONS_SETTING, [...current, connection], target);
  ctx.logs.client.info(
    `added connection "${name}" to ${inWorkspace ? 'workspace' : 'user'} settings`,
  );

  if (given.password) {
    await ctx.passwords.storeNamed(name, given.password);
    void vscode.window.showInformationMessage(
      `pgmig: the password from the URL is kept in VS Code's secret storage, not in settings.`,
    );
  }
  if (!protect) await ctx.connections.select(`named:${name}`);
  else
    void vscode.window.showInformationMessage(
      `pgmig: added the protected connection "${name}". Select it (pgmig: Select Connection) to run migrations there.`,
    );
}
