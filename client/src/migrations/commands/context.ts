/** What the migration and connection commands use; passed explicitly, no module singletons. */
import type { ConnectionStore } from '../../connections/connectionStore';
import type { PasswordStore } from '../../connections/passwords';
import type { Logs } from '../../logger';
import type { FailureDiagnostics } from '../failureDiagnostics';
import type { MigrationFolders } from '../folders';
import type { RunLog } from '../runLog';
import type { RunnerClient } from '../runnerClient';
import type { ReportDocuments } from '../reportDocuments';
import type { MigrationStatusModel } from '../statusModel';

export interface MigrationsContext {
  logs: Logs;
  runner: RunnerClient;
  connections: ConnectionStore;
  passwords: PasswordStore;
  folders: MigrationFolders;
  model: MigrationStatusModel;
  log: RunLog;
  diagnostics: FailureDiagnostics;
  /** Trace and verify reports (read-only markdown documents). */
  reports: ReportDocuments;
}
