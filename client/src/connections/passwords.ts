/**
 * Passwords for the server's `password` request: from VS Code's SecretStorage, else asked with a
 * password input and, if the user agrees, stored there. A stored password the server rejects is
 * forgotten, so the next run asks again instead of failing the same way forever.
 */
import * as vscode from 'vscode';
import type { PasswordParams, PasswordResult } from '../../../server/src/protocol/runner';
import type { Logs } from '../logger';

const PREFIX = 'pgmig.password:';

/**
 * Whose password it is: a named connection's is kept under its name (so "Forget Password" can
 * find it), any other under user@host:port/db.
 */
export function secretKey(p: Pick<PasswordParams, 'name'> & Partial<PasswordParams>): string {
  return p.name
    ? `${PREFIX}named:${p.name}`
    : `${PREFIX}${p.user}@${p.host}:${p.port}/${p.database}`;
}

function describe(p: PasswordParams): string {
  const where = `${p.user}@${p.host}:${p.port}/${p.database}`;
  return p.name ? `"${p.name}" (${where})` : where;
}

export class PasswordStore {
  /** Keys answered since the last run ended: a rejection forgets them. */
  private answered = new Set<string>();
  /** Prompts the user dismissed: background refreshes do not ask again until a command does. */
  private readonly declined = new Set<string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logs: Logs,
  ) {}

  async answer(p: PasswordParams): Promise<PasswordResult> {
    const key = secretKey(p);
    const stored = await this.secrets.get(key);
    if (stored !== undefined) {
      this.answered.add(key);
      this.logs.client.info(`password for ${describe(p)}: from secret storage`);
      return { password: stored };
    }
    if (this.declined.has(key)) return { password: null };
    const password = await vscode.window.showInputBox({
      title: `pgmig: password for ${describe(p)}`,
      prompt: `PostgreSQL asks for the password of user "${p.user}" on ${p.host}:${p.port}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) {
      this.declined.add(key);
      this.logs.client.info(`password for ${describe(p)}: none given`);
      return { password: null };
    }
    const keep = await vscode.window.showQuickPick(
      [
        { label: 'Store in VS Code secret storage', store: true },
        { label: 'Use it this time only', store: false },
      ],
      { title: `pgmig: remember the password for ${describe(p)}?`, ignoreFocusOut: true },
    );
    if (keep?.store) {
      await this.secrets.store(key, password);
      this.answered.add(key);
      this.logs.client.info(`password for ${describe(p)}: stored in secret storage`);
    }
    return { password };
  }

  /** The server rejected a password: forget the stored ones used since the last run. */
  async rejected(): Promise<void> {
    const keys = [...this.answered];
    this.answered.clear();
    for (const key of keys) {
      await this.secrets.delete(key);
      this.logs.client.warn(`a stored password was rejected and is forgotten (${keyLabel(key)})`);
    }
  }

  /** The user asked for something that needs the database: prompts are welcome again. */
  allowPrompts(): void {
    this.declined.clear();
  }

  /** A run or status request ended: its answers are no longer "just used". */
  settled(): void {
    this.answered.clear();
  }

  /** Stores a password given while adding a named connection. */
  async storeNamed(name: string, password: string): Promise<void> {
    await this.secrets.store(secretKey({ name }), password);
  }

  /** Forgets the stored password of a named connection; returns whether there was one. */
  async forgetNamed(name: string): Promise<boolean> {
    const key = secretKey({ name });
    const had = (await this.secrets.get(key)) !== undefined;
    await this.secrets.delete(key);
    return had;
  }
}

function keyLabel(key: string): string {
  return key.slice(PREFIX.length).replace(/^named:/, '');
}
