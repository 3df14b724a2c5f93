/**
 * The migration runner's requests (protocol/runner.ts) on the language server connection. The
 * embedded scratch database and the `.env` are those of the workspace folder holding the
 * migration folder (the innermost one when folders nest).
 */
import { sep } from 'node:path';
import { registerRunnerHandlers } from '../runner/lspHandlers';
import type { ServerExtension } from './extensions';

export const runnerRequests: ServerExtension = ({ connection, workspace, log, relintAll }) => {
  const handlers = registerRunnerHandlers(connection, {
    workspaceRoot: (folder) => workspaceRootOf(workspace.workspaceRoots, folder),
    onTableSizes: (sizes) => {
      if (!sizes && !workspace.tableSizes) return;
      workspace.tableSizes = sizes;
      log.info(
        sizes
          ? `findings weighed by the sizes of ${sizes.size} tables`
          : 'findings no longer weighed by table sizes',
      );
      relintAll();
    },
  });
  return { dispose: () => handlers.dispose() };
};

export function workspaceRootOf(roots: readonly string[], path: string): string | undefined {
  return roots
    .filter((r) => path === r || path.startsWith(r.endsWith(sep) ? r : `${r}${sep}`))
    .sort((a, b) => b.length - a.length)[0];
}
