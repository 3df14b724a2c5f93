/**
 * The connections a workspace can run migrations on, and the one it selected: the named
 * connections of `pgmig.connections`, DATABASE_URL (environment or workspace `.env`) when set,
 * and the embedded scratch database, which is also what runs use until something is selected.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readDotenv } from '../../../server/src/db/dotenv';
import type { WireConnection, WireNamedConnection } from '../../../server/src/protocol/runner';
import { CONFIG_SECTION } from '../constants';
import type { Logs } from '../logger';
import { CONNECTIONS_SETTING, SELECTED_CONNECTION_KEY } from '../migrations/ids';
import { describeNamed, parseConnections } from './connectionSettings';

export const EMBEDDED_ID = 'embedded';
export const ENV_ID = 'env';

export interface ConnectionChoice {
  /** `embedded`, `env` or `named:<name>`: stable across sessions (kept in workspaceState). */
  id: string;
  kind: 'embedded' | 'env' | 'named';
  label: string;
  /** Where it points, for descriptions (never a password). */
  description: string;
  /** Data there is throwaway: say so wherever the connection shows. */
  scratch: boolean;
  /** DOWN there needs a confirmation naming it. */
  protected: boolean;
  named?: WireNamedConnection;
  /** What the runner requests take; undefined lets the server resolve DATABASE_URL / .env. */
  wire: WireConnection | undefined;
  /** DATABASE_URL itself, for requests that need it spelled out (traces on a scratch database). */
  url?: string;
}

export const EMBEDDED: ConnectionChoice = {
  id: EMBEDDED_ID,
  kind: 'embedded',
  label: 'Embedded (scratch)',
  description: 'PGlite in the workspace .pgmig/ folder — a scratch database, not a real server',
  scratch: true,
  protected: false,
  wire: 'embedded',
};

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private reported = '';
  /** Fires when the list or the selection changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly logs: Logs,
  ) {
    const dotenv = vscode.workspace.createFileSystemWatcher('**/.env');
    this.subscriptions.push(
      this.changed,
      dotenv,
      dotenv.onDidCreate(() => this.changed.fire()),
      dotenv.onDidChange(() => this.changed.fire()),
      dotenv.onDidDelete(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.${CONNECTIONS_SETTING}`)) this.changed.fire();
      }),
    );
  }

  named(): WireNamedConnection[] {
    const raw = vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>(CONNECTIONS_SETTING);
    const { connections, problems } = parseConnections(raw);
    // said once per distinct set of problems, not on every refresh
    const key = problems.join('\n');
    if (key && key !== this.reported) for (const p of problems) this.logs.client.warn(p);
    this.reported = key;
    return connections;
  }

  /** Every connection to offer, named ones first, the embedded database last. */
  choices(): ConnectionChoice[] {
    const out: ConnectionChoice[] = this.named().map(namedChoice);
    const env = envChoice();
    if (env) out.push(env);
    out.push(EMBEDDED);
    return out;
  }

  byId(id: string): ConnectionChoice | undefined {
    return this.choices().find((c) => c.id === id);
  }

  /** The connection this workspace selected, if it still exists. */
  selected(): ConnectionChoice | undefined {
    const id = this.state.get<string>(SELECTED_CONNECTION_KEY);
    return id === undefined ? undefined : this.byId(id);
  }

  /** What runs use: the selection, else the embedded scratch database. */
  effective(): ConnectionChoice {
    return this.selected() ?? EMBEDDED;
  }

  /** Whether there is anything to list besides the default (else the view shows its welcome). */
  hasAny(): boolean {
    return this.selected() !== undefined || this.choices().length > 1;
  }

  async select(id: string): Promise<ConnectionChoice> {
    const choice = this.byId(id);
    if (!choice) throw new Error(`no connection "${id}"`);
    await this.state.update(SELECTED_CONNECTION_KEY, id);
    this.logs.client.info(`selected connection: ${choice.label}`);
    this.changed.fire();
    return choice;
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

function namedChoice(c: WireNamedConnection): ConnectionChoice {
  return {
    id: `named:${c.name}`,
    kind: 'named',
    label: c.name,
    description: describeNamed(c),
    scratch: false,
    protected: c.protected === true,
    named: c,
    wire: c,
  };
}

/** DATABASE_URL of the environment, else of a workspace folder's `.env`. */
function envChoice(): ConnectionChoice | undefined {
  let url = process.env.DATABASE_URL;
  let source = 'environment';
  if (!url) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      url = readDotenv(join(folder.uri.fsPath, '.env'))?.DATABASE_URL;
      if (url) {
        source = '.env';
        break;
      }
    }
  }
  if (!url) return undefined;
  return {
    id: ENV_ID,
    kind: 'env',
    label: `DATABASE_URL (${source})`,
    description: describeNamed({ name: 'DATABASE_URL', url }),
    scratch: false,
    protected: false,
    wire: undefined,
    url,
  };
}
