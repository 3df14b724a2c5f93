/**
 * Features other parts of pgmig add to the language server (the migration runner's requests, for
 * instance). Each is called once at start-up with the connection and the server's workspace; what
 * one returns is disposed of on shutdown (open database connections, for instance).
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Position } from '../text/positions';
import type { Log } from './guard';
import { migrationFolders } from './migrationFolders';
import { runnerRequests } from './runnerRequests';
import { traceRequests } from './traceRequests';
import type { Workspace } from './workspace';

export interface ServerContext {
  connection: Connection;
  workspace: Workspace;
  log: Log;
  /** Lints every open document again (what findings depend on changed). */
  relintAll(): void;
  /** Markdown a feature adds to the statement hover at a place of a file (a measured trace). */
  hoverNotes: HoverNote[];
}

export type HoverNote = (path: string, position: Position) => string | undefined;

export type ServerExtension = (ctx: ServerContext) => void | { dispose(): Promise<void> | void };

/** Add an entry per feature, in its own file. */
export const SERVER_EXTENSIONS: ServerExtension[] = [
  runnerRequests,
  migrationFolders,
  traceRequests,
];
