/**
 * The trace and verify requests on the language server connection (protocol/trace.ts). The
 * server calls `registerTraceHandlers(connection)` once and uses the returned store for hovers
 * ("measured on PostgreSQL 18.6: ACCESS EXCLUSIVE on users — blocks reads and writes; table
 * users rewritten") and `onVerifyDiagnostics` to publish round-trip findings on DOWN sections.
 */
import { ResponseError, type Connection } from 'vscode-languageserver';
import { loadSettings } from '../config/load';
import { resolveConnection } from '../db/resolve';
import type { ResolvedConnection } from '../db/types';
import { folderOfFile, isDirectory, loadFolder } from '../folder/load';
import type { Migration } from '../folder/model';
import { initParser } from '../parser/parse';
import type { WireConnection } from '../protocol/runner';
import {
  TRACE_ERROR,
  TraceCancelNotification,
  TraceProgressNotification,
  TraceRequest,
  VerifyRequest,
  type FileDiagnostics,
} from '../protocol/trace';
import { loadRunnerConfig } from '../runner/config';
import { dbChoice, passwordFromEditor, sharedErrorKind } from '../runner/requestSupport';
import { verifyDiagnostics } from '../verify/diagnostics';
import { verifyRoundTrip } from '../verify/roundTrip';
import { TraceStore } from './hover';
import { addLiveReport } from './live';
import { ReplayError } from './replay';
import { openScratch, ScratchError, type Scratch } from './scratch';
import { migrationTarget, TargetError } from './target';
import { traceMigration } from './traceMigration';

export interface TraceHandlerOptions {
  /** Verification findings to publish (replace the previous ones of each file). */
  onVerifyDiagnostics?(byFile: FileDiagnostics[]): void;
  env?: NodeJS.ProcessEnv;
}

export function registerTraceHandlers(
  connection: Connection,
  options: TraceHandlerOptions = {},
): { store: TraceStore; dispose(): void } {
  const store = new TraceStore();
  const running = new Map<string, AbortController>();

  const askPassword = passwordFromEditor(connection);

  const resolveFor = (path: string, c: WireConnection | undefined) => {
    const root = isDirectory(path) ? path : folderOfFile(path);
    const loaded = loadSettings({ cwd: root });
    const choice = dbChoice(c);
    let resolved: ResolvedConnection | undefined;
    if (choice !== undefined && choice !== 'memory' && choice !== 'embedded')
      resolved = resolveConnection({
        db: choice,
        named: loadRunnerConfig(loaded.configFile).connections,
        env: options.env ?? process.env,
        embeddedRoot: root,
      });
    return { format: loaded.settings.format, resolved };
  };

  const fail = (e: unknown): never => {
    if (e instanceof ResponseError) throw e;
    const kind =
      sharedErrorKind(e) ??
      (e instanceof ScratchError
        ? 'protected'
        : e instanceof TargetError
          ? 'target'
          : e instanceof ReplayError
            ? 'replay'
            : 'other');
    const message =
      e instanceof ReplayError
        ? `an earlier migration fails on the scratch database: ${e.message}`
        : ((e as Error)?.message ?? String(e));
    throw new ResponseError(TRACE_ERROR, message, { kind });
  };

  const withScratch = async <T>(
    traceId: string | undefined,
    resolved: ResolvedConnection | undefined,
    body: (scratch: Scratch, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const controller = new AbortController();
    if (traceId) running.set(traceId, controller);
    let scratch: Scratch | undefined;
    try {
      scratch = await openScratch(resolved, {
        passwordProvider: askPassword,
        applicationName: 'pgmig trace (editor)',
      });
      return await body(scratch, controller.signal);
    } catch (e) {
      return fail(e);
    } finally {
      if (traceId) running.delete(traceId);
      await scratch?.close().catch(() => {});
    }
  };

  const progress =
    (traceId: string | undefined, message: string) => (done: number, total: number) =>
      void connection.sendNotification(TraceProgressNotification, {
        traceId,
        message,
        done,
        total,
      });

  connection.onRequest(TraceRequest, async (p) => {
    try {
      await initParser();
      const { format, resolved } = resolveFor(p.file, p.connection);
      const overlay = p.text !== undefined ? new Map([[p.file, p.text]]) : undefined;
      const target = migrationTarget(p.file, { format, overlay });
      return await withScratch(p.traceId, resolved, async (scratch, signal) => {
        const result = await traceMigration(scratch, {
          migration: target.migration,
          earlier: target.earlier,
          direction: p.direction,
          signal,
          onReplay: progress(p.traceId, 'replaying earlier migrations'),
        });
        if (scratch.origin && resolved)
          await addLiveReport(scratch.origin, resolved.label, result, {
            longSeconds: p.longTransactionSeconds,
          });
        store.remember(result);
        return result;
      });
    } catch (e) {
      return fail(e);
    }
  });

  connection.onRequest(VerifyRequest, async (p) => {
    try {
      await initParser();
      const { format, resolved } = resolveFor(p.path, p.connection);
      let earlier: Migration[];
      let migrations: Migration[];
      if (isDirectory(p.path)) {
        earlier = [];
        migrations = loadFolder(p.path, { format }).migrations;
      } else {
        const overlay = p.text !== undefined ? new Map([[p.path, p.text]]) : undefined;
        const t = migrationTarget(p.path, { format, overlay });
        earlier = t.earlier;
        migrations = [t.migration];
      }
      return await withScratch(p.traceId, resolved, async (scratch, signal) => {
        const result = await verifyRoundTrip(scratch, {
          earlier,
          migrations,
          signal,
          onProgress: progress(p.traceId, 'verifying'),
        });
        const diagnostics = verifyDiagnostics(result);
        // files checked without findings get an empty list, clearing earlier findings
        const files = new Set(migrations.flatMap((m) => m.files.map((f) => f.path)));
        for (const d of diagnostics) files.delete(d.file);
        const all = [...diagnostics, ...[...files].map((file) => ({ file, diagnostics: [] }))];
        options.onVerifyDiagnostics?.(all);
        return { ...result, diagnostics };
      });
    } catch (e) {
      return fail(e);
    }
  });

  connection.onNotification(TraceCancelNotification, (p) => running.get(p.traceId)?.abort());

  return {
    store,
    dispose() {
      for (const c of running.values()) c.abort();
      running.clear();
    },
  };
}
