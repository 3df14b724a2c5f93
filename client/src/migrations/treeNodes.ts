/**
 * The nodes of the Migrations view and how each looks: connection → (folder, when there are
 * several) → Applied / Pending / Problems → migration. contextValues drive the inline actions
 * in package.json (`viewItem =~ /^pgmig\.migration\.applied/` and so on).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { WireEntry, WireState } from '../../../server/src/protocol/runner';
import type { ConnectionChoice } from '../connections/connectionStore';

export type Group = 'applied' | 'pending' | 'problems';

export type MigrationNode =
  | { type: 'connection'; conn: ConnectionChoice; selected: boolean; pending?: number }
  | { type: 'folder'; conn: ConnectionChoice; root: string }
  | { type: 'group'; conn: ConnectionChoice; root: string; group: Group; entries: WireEntry[] }
  | { type: 'migration'; conn: ConnectionChoice; root: string; entry: WireEntry }
  | {
      type: 'message';
      id: string;
      text: string;
      icon: string;
      tooltip?: string;
      command?: vscode.Command;
    };

export function groupOf(state: WireState): Group {
  if (state === 'applied') return 'applied';
  if (state === 'pending') return 'pending';
  return 'problems';
}

const GROUP_LABEL: Record<Group, string> = {
  applied: 'Applied',
  pending: 'Pending',
  problems: 'Problems',
};

const GROUP_ICON: Record<Group, vscode.ThemeIcon> = {
  applied: new vscode.ThemeIcon('check-all'),
  pending: new vscode.ThemeIcon('watch'),
  problems: new vscode.ThemeIcon(
    'warning',
    new vscode.ThemeColor('problemsWarningIcon.foreground'),
  ),
};

const STATE_ICON: Record<WireState, vscode.ThemeIcon> = {
  applied: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  pending: new vscode.ThemeIcon('circle-large-outline'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  'changed-since-applied': new vscode.ThemeIcon(
    'diff-modified',
    new vscode.ThemeColor('problemsWarningIcon.foreground'),
  ),
  'missing-file': new vscode.ThemeIcon(
    'question',
    new vscode.ThemeColor('problemsWarningIcon.foreground'),
  ),
};

const STATE_TEXT: Record<WireState, string> = {
  applied: 'applied',
  pending: 'pending',
  failed: 'failed (dirty): runs are blocked until it is resolved',
  'changed-since-applied': 'changed since it was applied',
  'missing-file': 'applied, but its file is missing',
};

/** Groups that always show, even empty; Problems only when there are any. */
export function groups(entries: WireEntry[]): Array<{ group: Group; entries: WireEntry[] }> {
  const by: Record<Group, WireEntry[]> = { applied: [], pending: [], problems: [] };
  for (const e of entries) by[groupOf(e.state)].push(e);
  const out: Array<{ group: Group; entries: WireEntry[] }> = [
    { group: 'applied', entries: by.applied },
    { group: 'pending', entries: by.pending },
  ];
  if (by.problems.length) out.push({ group: 'problems', entries: by.problems });
  return out;
}

export function toTreeItem(node: MigrationNode): vscode.TreeItem {
  switch (node.type) {
    case 'connection':
      return connectionItem(node.conn, node.selected, node.pending);
    case 'folder': {
      const item = new vscode.TreeItem(
        basename(node.root),
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = `folder:${node.conn.id}:${node.root}`;
      item.description = vscode.workspace.asRelativePath(node.root);
      item.tooltip = node.root;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = 'pgmig.folder';
      return item;
    }
    case 'group': {
      // long histories start folded; the user's choice is kept by id afterwards
      const state =
        node.group === 'applied' && node.entries.length > 30
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.Expanded;
      const item = new vscode.TreeItem(GROUP_LABEL[node.group], state);
      item.id = `group:${node.conn.id}:${node.root}:${node.group}`;
      item.description = String(node.entries.length);
      item.iconPath = GROUP_ICON[node.group];
      item.contextValue = `pgmig.group.${node.group}`;
      return item;
    }
    case 'migration':
      return migrationItem(node);
    case 'message': {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.tooltip ?? node.text;
      item.command = node.command;
      item.contextValue = 'pgmig.message';
      return item;
    }
  }
}

function connectionItem(
  conn: ConnectionChoice,
  selected: boolean,
  pending: number | undefined,
): vscode.TreeItem {
  const item = new vscode.TreeItem(
    conn.label,
    selected ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  // VS Code keeps a node's expansion by id: the selected connection gets an id of its own, so
  // selecting one shows it expanded however it was shown before
  item.id = selected ? `connection:${conn.id}:selected` : `connection:${conn.id}`;
  const parts = [selected ? 'selected' : undefined, pending ? `${pending} pending` : undefined];
  item.description = parts.filter(Boolean).join(' · ') || undefined;
  const tooltip = new vscode.MarkdownString(
    `**${escape(conn.label)}**\n\n${escape(conn.description)}`,
  );
  if (conn.protected)
    tooltip.appendMarkdown('\n\nProtected: rolling back here asks for a confirmation.');
  if (!selected) tooltip.appendMarkdown('\n\nRight-click → Select Connection to run here.');
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(
    conn.scratch ? 'beaker' : conn.protected ? 'shield' : 'database',
  );
  item.contextValue = [
    'pgmig.connection',
    selected ? 'selected' : undefined,
    conn.kind === 'named' ? 'named' : undefined,
  ]
    .filter(Boolean)
    .join('.');
  return item;
}

function migrationItem(node: Extract<MigrationNode, { type: 'migration' }>): vscode.TreeItem {
  const e = node.entry;
  const item = new vscode.TreeItem(e.name || e.version, vscode.TreeItemCollapsibleState.None);
  item.id = `migration:${node.conn.id}:${node.root}:${e.state}:${e.version}`;
  const details: string[] = [e.version];
  if (e.appliedAt) details.push(formatTime(e.appliedAt));
  if (e.durationMs !== undefined) details.push(formatDuration(e.durationMs));
  if (e.outOfOrder) details.push('out of order');
  if (groupOf(e.state) === 'problems')
    details.push(e.state === 'failed' ? 'failed' : STATE_TEXT[e.state]);
  item.description = details.join(' · ');
  item.tooltip = migrationTooltip(e);
  item.iconPath = STATE_ICON[e.state];
  item.contextValue = `pgmig.migration.${e.state}${e.hasDown ? '.down' : ''}`;
  if (e.file) {
    const line = e.failure?.line ?? e.line ?? 0;
    item.command = {
      title: 'Open Migration',
      command: 'vscode.open',
      arguments: [
        vscode.Uri.file(e.file),
        { selection: new vscode.Range(line, 0, line, 0), preview: true },
      ],
    };
  }
  return item;
}

function migrationTooltip(e: WireEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(e.version)} ${escape(e.name)}** — ${STATE_TEXT[e.state]}\n\n`);
  if (e.appliedAt)
    md.appendMarkdown(`Applied: ${escape(new Date(e.appliedAt).toLocaleString())}\n\n`);
  if (e.durationMs !== undefined) md.appendMarkdown(`Took: ${formatDuration(e.durationMs)}\n\n`);
  if (e.file) md.appendMarkdown(`File: ${escape(vscode.workspace.asRelativePath(e.file))}\n\n`);
  if (!e.hasDown) md.appendMarkdown('No DOWN section: it cannot be rolled back.\n\n');
  if (e.failure) {
    md.appendMarkdown(`Failure: ${escape(e.failure.message)}\n\n`);
    if (e.failure.hint) md.appendMarkdown(`Hint: ${escape(e.failure.hint)}\n\n`);
    if (e.state === 'failed')
      md.appendMarkdown(
        'Fix it, then **Resolve** it from the context menu: retry, or mark it applied or not applied.',
      );
  }
  return md;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Local date and time to the minute: the history's timestamps are for people here. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
