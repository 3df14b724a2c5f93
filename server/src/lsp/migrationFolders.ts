/** Answers pgmig/migrationFolders: the migration folder roots of the files the editor found. */
import {
  MigrationFoldersRequest,
  type MigrationFolderInfo,
  type MigrationFoldersParams,
} from '../protocol/migrationFolders';
import type { ServerExtension } from './extensions';
import { BadParams, guardRequest } from './guard';

/** More files than any migration workspace has; a bigger list is a client bug. */
const MAX_FILES = 100_000;

export const migrationFolders: ServerExtension = ({ connection, workspace, log }) => {
  connection.onRequest(
    MigrationFoldersRequest,
    guardRequest(log, 'migrationFolders', (params: MigrationFoldersParams) => {
      const files = params?.files;
      if (!Array.isArray(files) || files.some((f) => typeof f !== 'string'))
        throw new BadParams('files must be an array of paths');
      if (files.length > MAX_FILES) throw new BadParams(`more than ${MAX_FILES} files`);
      const roots = new Map<string, MigrationFolderInfo>();
      for (const file of files) {
        const scope = workspace.scope.scopeOf(file);
        if (scope && !roots.has(scope.root))
          roots.set(scope.root, { root: scope.root, reason: scope.reason });
      }
      return { folders: [...roots.values()].sort((a, b) => a.root.localeCompare(b.root)) };
    }),
  );
};
