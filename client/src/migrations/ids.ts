/** Names the manifest (package.json) and the migrations code share: one place to rename them. */

export const MigrationCommands = {
  runUp: 'pgmig.runMigrationUp',
  runDown: 'pgmig.runMigrationDown',
  runAllPending: 'pgmig.runAllPending',
  redo: 'pgmig.redoMigration',
  showStatus: 'pgmig.showMigrationStatus',
  newMigration: 'pgmig.newMigration',
  refresh: 'pgmig.refreshMigrations',
  resolve: 'pgmig.resolveMigration',
  showLog: 'pgmig.showMigrationLog',
  addConnection: 'pgmig.addConnection',
  selectConnection: 'pgmig.selectConnection',
  useEmbedded: 'pgmig.useEmbeddedDatabase',
  forgetPassword: 'pgmig.forgetPassword',
  traceLocks: 'pgmig.traceLocks',
  verifyRoundTrip: 'pgmig.verifyRoundTrip',
} as const;

export const VIEW_CONTAINER_ID = 'pgmig';
export const MIGRATIONS_VIEW_ID = 'pgmigMigrations';

/** The migrations log: every statement a run executes, with its duration. */
export const MIGRATIONS_CHANNEL = 'pgmig Migrations';

export const PENDING_ITEM_ID = 'pgmig.pending';

/** Setting with the named connections (never a password). */
export const CONNECTIONS_SETTING = 'connections';

/** Context keys for `when` clauses in the manifest. */
export const ContextKeys = {
  /** Whether the Migrations view has something to show (else its welcome content shows). */
  hasConnections: 'pgmig.hasConnections',
} as const;

/** Where the selected connection of a workspace is remembered (workspaceState). */
export const SELECTED_CONNECTION_KEY = 'pgmig.selectedConnection';
