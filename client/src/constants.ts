/** Names shared by the manifest (package.json) and the client code: one place to rename them. */

export const CONFIG_SECTION = 'pgmig';

/** The LanguageClient id: it also makes the client read `pgmig.trace.server`. */
export const CLIENT_ID = 'pgmig';
export const CLIENT_NAME = 'pgmig Language Server';

export const Commands = {
  restartServer: 'pgmig.restartServer',
  showLogs: 'pgmig.showLogs',
  openRuleDocs: 'pgmig.openRuleDocs',
} as const;

export const Channels = {
  client: 'pgmig',
  server: 'pgmig Language Server',
  trace: 'pgmig LSP Trace',
} as const;

export type ChannelKind = keyof typeof Channels;

export const STATUS_ITEM_ID = 'pgmig.status';

/** Relative to the extension root; shipped in the .vsix. */
export const SERVER_MODULE = 'dist/server.js';
export const RULE_DOCS_DIR = 'docs/rules';
