/**
 * Which folders of the workspace hold migrations, decided by the language server with the same
 * rules it lints by (globs, pgmig.json, runner layout, folder names). The editor sends the SQL
 * files it found (respecting its own excludes); the server answers with their folder roots.
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface MigrationFoldersParams {
  /** Absolute paths of SQL files (and sqitch.plan / pgmig.json) found in the workspace. */
  files: string[];
}

export interface MigrationFolderInfo {
  /** Absolute path of the folder root, as the runner requests take it. */
  root: string;
  /** Why it counts as a migration folder, for tooltips and logs. */
  reason: string;
}

export interface MigrationFoldersResult {
  folders: MigrationFolderInfo[];
}

export const MigrationFoldersRequest = new RequestType<
  MigrationFoldersParams,
  MigrationFoldersResult,
  void
>('pgmig/migrationFolders');
