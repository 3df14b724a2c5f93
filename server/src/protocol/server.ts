/**
 * What the pgmig language server and its editor client say to each other beyond standard LSP:
 * the server's status, the options a client can pass at start-up, the editor settings the server
 * reads (`pgmig.*` through workspace/configuration), the command ids in its code actions, and the
 * shape of the fix data on each diagnostic. Defined once here; the VS Code client imports it.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

export type ServerStatusState = 'starting' | 'ready' | 'linting' | 'error';

export interface ServerStatusParams {
  state: ServerStatusState;
  /** For people: what it is doing, or why it failed (a config error names the file). */
  detail?: string;
  /** Open migration files waiting to be linted. */
  pending?: number;
}

/** Server → client, whenever the state changes (`linting` only once linting takes a while). */
export const ServerStatusNotification = new NotificationType<ServerStatusParams>('pgmig/status');

/** `initializationOptions` a client may pass. */
export interface PgmigInitializationOptions {
  /**
   * A client-side command that shows a rule's documentation, called with the rule id. Without
   * it, "Show documentation" runs SHOW_DOCUMENTATION_COMMAND on the server, which asks the
   * client to open the docs URL (window/showDocument).
   */
  showDocumentationCommand?: string;
  /**
   * The client sends workspace/didChangeWatchedFiles for SQL files, pgmig.json, .squawk.toml,
   * sqitch.plan and _journal.json by itself (VS Code's `synchronize.fileEvents`), so the server
   * registers no watchers of its own.
   */
  clientWatchesFiles?: boolean;
  /** Editor settings for clients that neither answer workspace/configuration nor push them. */
  settings?: Partial<EditorSettings>;
}

/** Server-side command: opens a rule's docs page; argument: the rule id. */
export const SHOW_DOCUMENTATION_COMMAND = 'pgmig.server.showDocumentation';

/** The settings section the server asks for (`pgmig.*` in VS Code). */
export const SETTINGS_SECTION = 'pgmig';

/** Editor-side settings (`pgmig.<name>`); everything about linting itself is in pgmig.json. */
export interface EditorSettings {
  /**
   * Globs (relative to the workspace folder, or absolute) of the migration files to lint. Empty:
   * pgmig.json's `migrationGlobs`, its `migrations` folders, then folders whose runner layout is
   * detected, or named migrations/migration/migrate.
   */
  migrationGlobs: string[];
  /** Where rule pages live; `<base><rule-id>.md` is each diagnostic's link. */
  docsBaseUrl: string;
  /** Files larger than this (bytes) are not linted; a diagnostic says so. */
  maxFileSize: number;
  /** Milliseconds to wait after a change before linting again. */
  lintDelay: number;
}

export const DEFAULT_DOCS_BASE_URL = 'https://github.com/pgmig/pgmig/blob/main/docs/rules/';

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  migrationGlobs: [],
  docsBaseUrl: DEFAULT_DOCS_BASE_URL,
  maxFileSize: 8 * 1024 * 1024,
  lintDelay: 0,
};

/** One text edit of a fix, in UTF-16 offsets of the file as it was linted. */
export interface FixEditData {
  /** File URI, when not the diagnostic's own document. */
  uri?: string;
  start: number;
  end: number;
  newText: string;
  /** The edit creates this file; newText is its content (with `copy`, the start of it). */
  create?: boolean;
  /**
   * A created file takes text the fix removes from the diagnostic's document: its content is
   * newText, then that document's text from `copy[0]` to `copy[1]` (as of the diagnostic's
   * version), then `tail`. A migration split in two does not carry its second half twice.
   */
  copy?: [number, number];
  tail?: string;
}

export interface FixData {
  title: string;
  preferred?: boolean;
  /** An ignore comment rather than a change to the SQL: never part of "fix all". */
  disable?: boolean;
  edits: FixEditData[];
}

/** `Diagnostic.data` of pgmig's diagnostics: its fixes, valid for one document version. */
export interface DiagnosticData {
  /** Document version the offsets refer to; null when the document was not open. */
  version: number | null;
  fixes: FixData[];
}
