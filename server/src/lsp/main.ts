/**
 * Entry of dist/server.js: the language server over the transport the client chose (`--node-ipc`
 * from VS Code, `--stdio`, `--socket=`, `--pipe=`), stdio when none is named.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { describeError } from './guard';
import { startServer } from './server';

const TRANSPORTS = ['--node-ipc', '--stdio', '--socket=', '--pipe=', '--clientProcessId'];

const connection = process.argv.some((a) => TRANSPORTS.some((t) => a.startsWith(t)))
  ? createConnection(ProposedFeatures.all)
  : createConnection(ProposedFeatures.all, process.stdin, process.stdout);

// a bug must cost one request, not the editor's language server
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${describeError(e)}`));
process.on('unhandledRejection', (e) =>
  connection.console.error(`unhandled rejection: ${describeError(e)}`),
);

startServer(connection);
