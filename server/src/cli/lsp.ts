/**
 * `pgmig lsp`: the language server on stdin/stdout, for any editor that speaks LSP. The VS Code
 * extension starts the same server from dist/server.js.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server';
import type { Io } from './io';

const HELP = `Usage: pgmig lsp [--stdio]

Runs the pgmig language server, speaking LSP over stdin and stdout (--stdio is accepted for
editors that pass it). Diagnostics, quick fixes, hovers and the outline for the migration files
of the workspace; pgmig.json configures it as it does 'pgmig lint'.
`;

export async function lspCommand(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--stdio');
  if (unknown.length > 0) {
    io.stderr.write(`pgmig lsp: unknown argument '${unknown[0]}'\n\n${HELP}`);
    return 2;
  }
  const stdout = io.stdout as unknown as NodeJS.WritableStream;
  if (typeof stdout.on !== 'function') {
    io.stderr.write('pgmig lsp: stdout must be a stream\n');
    return 2;
  }
  const connection = createConnection(ProposedFeatures.all, io.stdin, stdout);
  startServer(connection);
  // the connection ends the process on `exit` or when stdin closes
  return new Promise<number>(() => undefined);
}
