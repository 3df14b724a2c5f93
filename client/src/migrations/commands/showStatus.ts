import * as vscode from 'vscode';
import type { WireState } from '../../../../server/src/protocol/runner';
import { CommandAbortError, UserFacingError } from '../../util/commandError';
import { formatDuration, formatTime } from '../treeNodes';
import { requireTrust } from '../trust';
import type { MigrationsContext } from './context';

const ICON: Record<WireState, string> = {
  applied: '$(pass-filled)',
  pending: '$(circle-large-outline)',
  failed: '$(error)',
  'changed-since-applied': '$(diff-modified)',
  'missing-file': '$(question)',
};

/** Every migration's state on the selected connection; picking one opens its file. */
export async function showStatus(ctx: MigrationsContext): Promise<void> {
  requireTrust('Show Status');
  ctx.passwords.allowPrompts();
  const conn = ctx.connections.effective();
  const statuses = await ctx.model.loadAll(conn);
  if (statuses.length === 0)
    throw new UserFacingError('pgmig: no migration folder found in this workspace');
  const items: Array<vscode.QuickPickItem & { file?: string; line?: number }> = [];
  for (const s of statuses) {
    const where = vscode.workspace.asRelativePath(s.root);
    if (!s.status) {
      items.push({ label: `$(error) ${where}`, detail: s.error });
      continue;
    }
    items.push({
      label: where,
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const e of s.status.entries)
      items.push({
        label: `${ICON[e.state]} ${e.version} ${e.name}`,
        description: [
          e.state,
          e.appliedAt && formatTime(e.appliedAt),
          e.durationMs !== undefined && formatDuration(e.durationMs),
        ]
          .filter(Boolean)
          .join(' · '),
        detail: e.failure?.message,
        file: e.file,
        line: e.line,
      });
  }
  const pending = statuses.reduce((n, s) => n + (s.status?.pending ?? 0), 0);
  const picked = await vscode.window.showQuickPick(items, {
    title: `pgmig status on ${conn.label}: ${pending} pending`,
    matchOnDescription: true,
  });
  if (!picked) throw new CommandAbortError();
  if (picked.file)
    await vscode.window.showTextDocument(vscode.Uri.file(picked.file), {
      selection: new vscode.Range(picked.line ?? 0, 0, picked.line ?? 0, 0),
    });
}
