/**
 * What a migration command acts on: a node of the Migrations view, a CodeLens argument, a file
 * (explorer context menu), or else the active editor's migration; from the palette without a
 * migration editor, the user picks one.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { WireEntry } from '../../../server/src/protocol/runner';
import type { ConnectionChoice, ConnectionStore } from '../connections/connectionStore';
import { CommandAbortError, UserFacingError } from '../util/commandError';
import type { MigrationFolders } from './folders';
import type { MigrationStatusModel } from './statusModel';
import type { MigrationNode } from './treeNodes';

export interface TargetDeps {
  connections: ConnectionStore;
  folders: MigrationFolders;
  model: MigrationStatusModel;
}

export interface MigrationTarget {
  conn: ConnectionChoice;
  root: string;
  /** A file of the migration (what the runner requests take), when it has one. */
  file?: string;
  entry?: WireEntry;
  /** "20240101 create_users", or the file name. */
  label: string;
}

/** What CodeLens commands pass. */
export interface FileArgument {
  file: string;
}

/** A node of the view that belongs to a connection (not a message row). */
export type ConnectionNode = Exclude<MigrationNode, { type: 'message' }>;

export function isNode(arg: unknown): arg is ConnectionNode {
  return !!arg && typeof arg === 'object' && 'type' in arg && 'conn' in arg;
}

function labelOf(e: WireEntry): string {
  return `${e.version} ${e.name}`.trim();
}

export type Purpose = 'up' | 'down' | 'resolve';

const PICKABLE: Record<Purpose, { states: string[]; none: string; title: string }> = {
  up: { states: ['pending'], none: 'pending', title: 'apply pending migrations up to' },
  down: {
    states: ['applied', 'changed-since-applied'],
    none: 'applied',
    title: 'roll back down to and including',
  },
  resolve: { states: ['failed'], none: 'failed', title: 'resolve the failed migration' },
};

export async function migrationTarget(
  deps: TargetDeps,
  arg: unknown,
  purpose: Purpose,
): Promise<MigrationTarget> {
  if (isNode(arg) && arg.type === 'migration')
    return {
      conn: arg.conn,
      root: arg.root,
      file: arg.entry.file,
      entry: arg.entry,
      label: labelOf(arg.entry),
    };
  let file: string | undefined;
  if (arg instanceof vscode.Uri) file = arg.fsPath;
  else if (arg && typeof (arg as FileArgument).file === 'string') file = (arg as FileArgument).file;
  else if (arg === undefined) file = await activeMigrationFile();
  else throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
  if (file === undefined) return pickMigration(deps, purpose);
  const folder = await deps.folders.folderOf(file);
  if (!folder)
    throw new UserFacingError(
      `pgmig: ${vscode.workspace.asRelativePath(file)} is not in a migration folder`,
    );
  const conn = deps.connections.effective();
  const entry = deps.model.get(conn, folder.root)?.status?.entries.find((e) => e.file === file);
  return { conn, root: folder.root, file, entry, label: entry ? labelOf(entry) : basename(file) };
}

/** The active editor's file, saved first: a run takes the file on disk. */
async function activeMigrationFile(): Promise<string | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file' || doc.languageId !== 'sql') return undefined;
  if (doc.isDirty && !(await doc.save()))
    throw new UserFacingError(`pgmig: could not save ${vscode.workspace.asRelativePath(doc.uri)}`);
  return doc.uri.fsPath;
}

async function pickMigration(deps: TargetDeps, purpose: Purpose): Promise<MigrationTarget> {
  const conn = deps.connections.effective();
  const statuses = await deps.model.loadAll(conn);
  const wanted = PICKABLE[purpose].states;
  const items = statuses.flatMap((s) =>
    (s.status?.entries ?? [])
      .filter((e) => wanted.includes(e.state))
      .map((e) => ({
        label: labelOf(e),
        description: e.state,
        detail: statuses.length > 1 ? vscode.workspace.asRelativePath(s.root) : undefined,
        target: { conn, root: s.root, file: e.file, entry: e, label: labelOf(e) },
      })),
  );
  const errors = statuses.filter((s) => s.error).map((s) => s.error);
  if (items.length === 0)
    throw new UserFacingError(
      errors.length
        ? `pgmig: cannot read the migrations on ${conn.label}: ${errors[0]}`
        : `pgmig: no ${PICKABLE[purpose].none} migration on ${conn.label}`,
    );
  if (purpose === 'down') items.reverse();
  const picked = await vscode.window.showQuickPick(items, {
    title: `${conn.label}: ${PICKABLE[purpose].title}`,
    matchOnDescription: true,
  });
  if (!picked) throw new CommandAbortError();
  return picked.target;
}

/** The migration folder a folder-level command acts on: the node's, the editor's, or a pick. */
export async function folderTarget(
  deps: TargetDeps,
  arg: unknown,
): Promise<{ conn: ConnectionChoice; roots: string[] }> {
  if (isNode(arg)) {
    if (arg.type === 'connection') return { conn: arg.conn, roots: await roots(deps) };
    return { conn: arg.conn, roots: [arg.root] };
  }
  const conn = deps.connections.effective();
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.uri.scheme === 'file') {
    const folder = await deps.folders.folderOf(doc.uri.fsPath);
    if (folder) return { conn, roots: [folder.root] };
  }
  return { conn, roots: await roots(deps) };
}

async function roots(deps: TargetDeps): Promise<string[]> {
  const folders = await deps.folders.list();
  if (folders.length === 0)
    throw new UserFacingError('pgmig: no migration folder found in this workspace');
  return folders.map((f) => f.root);
}

/** One folder: the node's or editor's, else the only one, else the user picks. */
export async function oneFolder(
  deps: TargetDeps,
  arg: unknown,
  title: string,
): Promise<{ conn: ConnectionChoice; root: string }> {
  const { conn, roots: found } = await folderTarget(deps, arg);
  if (found.length === 1) return { conn, root: found[0] };
  const picked = await vscode.window.showQuickPick(
    found.map((root) => ({ label: vscode.workspace.asRelativePath(root), root })),
    { title },
  );
  if (!picked) throw new CommandAbortError();
  return { conn, root: picked.root };
}
