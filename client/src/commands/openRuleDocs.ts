/**
 * Opens a rule's documentation page as shipped inside the extension, so it works offline and
 * matches the installed version. Called by the server's "Show documentation" code action with the
 * rule id, and from the palette with a picker.
 */
import * as vscode from 'vscode';
import { RULE_DOCS_DIR } from '../constants';
import { CommandAbortError, UserFacingError } from '../util/commandError';
import type { CommandContext } from './index';

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function openRuleDocs(ctx: CommandContext, arg?: unknown): Promise<void> {
  const docs = vscode.Uri.joinPath(ctx.extensionUri, RULE_DOCS_DIR);
  const rule = arg === undefined ? await pickRule(docs) : ruleIdOf(arg);
  const page = vscode.Uri.joinPath(docs, `${rule}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    throw new UserFacingError(`pgmig has no documentation for a rule named "${rule}".`);
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
  } catch (err) {
    // The preview belongs to a built-in extension that can be disabled: fall back to the source.
    ctx.logs.error('markdown preview unavailable, opening the page as text', err);
    await vscode.window.showTextDocument(page, { preview: true });
  }
}

/** Accepts the rule id itself or `{ rule }` / `{ code }` (a diagnostic-shaped argument). */
function ruleIdOf(arg: unknown): string {
  const candidate =
    typeof arg === 'string'
      ? arg
      : typeof arg === 'object' && arg !== null
        ? ((arg as { rule?: unknown }).rule ?? (arg as { code?: unknown }).code)
        : undefined;
  if (typeof candidate !== 'string' || !RULE_ID.test(candidate)) {
    throw new UserFacingError(
      `pgmig: cannot open rule documentation for ${JSON.stringify(arg)}: expected a rule id such as "require-concurrent-index-creation".`,
    );
  }
  return candidate;
}

async function pickRule(docs: vscode.Uri): Promise<string> {
  const entries = await vscode.workspace.fs.readDirectory(docs);
  const rules = entries
    .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md'))
    .map(([name]) => name.slice(0, -'.md'.length))
    .filter((id) => RULE_ID.test(id))
    .sort();
  const picked = await vscode.window.showQuickPick(rules, { placeHolder: 'Which rule?' });
  if (!picked) throw new CommandAbortError();
  return picked;
}
