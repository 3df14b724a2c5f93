/**
 * When and what to lint. A changed document is linted after `pgmig.lintDelay` (bursts of
 * changes coalesce), one document per turn of the event loop so requests are answered in
 * between. An edit in one migration re-lints the open migrations after it in the same folder a
 * little later, since their schema model changed.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Violation } from '../linter/types';
import { SOURCE, toDiagnostic, type DiagnosticContext } from './diagnostics';
import { describeError, guarded, type Log } from './guard';
import type { StatusReporter } from './status';
import { uriOfPath } from './uris';
import type { Placement, Workspace } from './workspace';

/** Delay before the migrations after an edited one are linted again. */
const DEPENDENTS_DELAY_MS = 150;

interface Pending {
  /** The document's text changed since its folder model was last updated. */
  textChanged: boolean;
  due: number;
}

export interface LintTiming {
  path: string;
  statements: number;
  findings: number;
  /** Whole lint of the document, and its parts. */
  ms: number;
  /** Loading the changed migration again (incremental parse included). */
  loadMs: number;
  /** The lint engine: schema model before the migration, rules, ignores. */
  engineMs: number;
  /** Diagnostics and their fix data, sent. */
  publishMs: number;
}

export class Linter {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  /** Files we published diagnostics for, by the document they came from. */
  private readonly publishedFor = new Map<string, Set<string>>();
  /** Called after each lint (tests and the log's timing line). */
  onLinted: ((t: LintTiming) => void) | undefined;
  /** Called when nothing is left to lint. */
  onIdle: (() => void) | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly connection: Connection,
    private readonly log: Log,
    private readonly status: StatusReporter,
  ) {}

  /** Lints a document soon; `textChanged` when its text is not what its folder model has. */
  changed(path: string, textChanged: boolean, delay = this.ws.editor.lintDelay): void {
    const prev = this.pending.get(path);
    const due = Date.now() + delay;
    this.pending.set(path, {
      textChanged: textChanged || (prev?.textChanged ?? false),
      due: prev && !textChanged ? Math.min(prev.due, due) : due,
    });
    this.status.busy(this.pending.size);
    this.arm();
  }

  /** Lints every open document again (config or settings changed, folders reloaded). */
  all(): void {
    for (const path of this.ws.openDocumentPaths()) this.changed(path, false, 0);
  }

  /** Lints now whatever is due for `path` (a request needs current diagnostics). */
  flush(path: string): void {
    const p = this.pending.get(path);
    if (!p || !this.started) return;
    this.pending.delete(path);
    this.lintSafely(path, p.textChanged);
  }

  /** The document was closed: its diagnostics go, unless another open file still shows them. */
  closed(path: string): void {
    this.pending.delete(path);
    const files = new Set([path, ...(this.publishedFor.get(path) ?? [])]);
    this.publishedFor.delete(path);
    // a file another open document's lint still reports on (the other half of an up/down pair)
    const shown = new Set([...this.publishedFor.values()].flatMap((f) => [...f]));
    for (const file of files) {
      if (this.ws.uriOf(file) || shown.has(file)) continue;
      void this.connection.sendDiagnostics({ uri: uriOfPath(file), diagnostics: [] });
    }
  }

  /**
   * Lints a document; when that fails (a bug), the document says so instead of silently showing
   * nothing, and the log has the stack.
   */
  private lintSafely(path: string, textChanged: boolean): void {
    try {
      this.lintDocument(path, textChanged);
    } catch (e) {
      this.log.error(`linting ${path} failed: ${describeError(e)}`);
      const doc = this.ws.document(path);
      const uri = this.ws.uriOf(path);
      if (!doc || !uri) return;
      this.publish(path, uri, doc.version, [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Error,
          source: SOURCE,
          message: `pgmig could not lint this file: ${e instanceof Error ? e.message : String(e)} (the language server's log has the details)`,
        },
      ]);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  /** Nothing is linted before the editor settings are known (they decide what is linted). */
  start(): void {
    this.started = true;
    this.arm();
  }

  private started = false;

  private arm(): void {
    if (!this.started) return;
    let due = Infinity;
    for (const p of this.pending.values()) due = Math.min(due, p.due);
    if (due === Infinity || (this.timer && due >= this.timerDue)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDue = Infinity;
        this.runDue();
      },
      Math.max(0, due - Date.now()),
    );
  }

  private runDue(): void {
    const now = Date.now();
    // the document being typed in first, then the ones whose schema model changed
    let next: [string, Pending] | undefined;
    for (const e of this.pending)
      if (e[1].due <= now && (!next || (e[1].textChanged && !next[1].textChanged))) next = e;
    if (next) {
      const [path, p] = next;
      this.pending.delete(path);
      this.lintSafely(path, p.textChanged);
    }
    if (this.pending.size === 0) {
      this.status.idle();
      this.onIdle?.();
      return;
    }
    this.status.busy(this.pending.size);
    // one document per turn: requests and changes that arrived meanwhile go first
    if ([...this.pending.values()].some((q) => q.due <= Date.now())) {
      setImmediate(() => guarded(this.log, 'lint', () => this.runDue()));
    } else this.arm();
  }

  private lintDocument(path: string, textChanged: boolean): void {
    const doc = this.ws.document(path);
    if (!doc) return;
    const uri = this.ws.uriOf(path)!;
    const problem = this.ws.documentProblem(doc);
    if (problem) {
      this.publish(path, uri, doc.version, [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Information,
          source: SOURCE,
          message: `pgmig: ${problem}`,
        },
      ]);
      return;
    }
    const started = performance.now();
    let placement: Placement | undefined = this.ws.placement(path);
    if (!placement) {
      this.publish(path, uri, doc.version, []);
      return;
    }
    if (textChanged && !placement.fresh) {
      const index = placement.state.update(path, this.ws.overlay());
      const again = index === undefined ? placement.state.migrationIndexOf(path) : index;
      placement = again === undefined ? undefined : { ...placement, index: again };
      if (!placement) {
        this.publish(path, uri, doc.version, []);
        return;
      }
    }
    const { state, index } = placement;
    const loaded = performance.now();
    const violations = state.lint(index);
    const linted = performance.now();
    const migration = state.migration(index);
    const byFile = new Map<string, Violation[]>(migration.files.map((f) => [f.path, []]));
    for (const v of violations) {
      const list = byFile.get(v.file);
      if (list) list.push(v);
      else byFile.set(v.file, [v]);
    }
    const ctx: DiagnosticContext = {
      docsBaseUrl: this.ws.editor.docsBaseUrl,
      file: (p) => state.file(p),
      uriOf: (p) => this.ws.uriOf(p) ?? uriOfPath(p),
      versionOf: (p) => this.ws.document(p)?.version ?? null,
      unreadable: (p) => state.readProblem(p) !== undefined,
    };
    const published = new Set<string>();
    for (const [file, vs] of byFile) {
      const source = state.file(file);
      if (!source) continue;
      const diagnostics = vs.map((v) => toDiagnostic(v, source, ctx));
      const fileDoc = this.ws.document(file);
      this.publish(path, ctx.uriOf(file), fileDoc?.version, diagnostics);
      published.add(file);
    }
    this.publishedFor.set(path, published);
    const statements = migration.sections.reduce((n, s) => n + s.parsed.statements.length, 0);
    const done = performance.now();
    this.onLinted?.({
      path,
      statements,
      findings: violations.length,
      ms: done - started,
      loadMs: loaded - started,
      engineMs: linted - loaded,
      publishMs: done - linted,
    });
    if (textChanged) this.dependentsChanged(placement);
  }

  /** Open migrations after an edited one see a different schema model: lint them again. */
  private dependentsChanged({ state, index }: Placement): void {
    for (const path of this.ws.openDocumentPaths()) {
      const i = state.migrationIndexOf(path);
      if (i !== undefined && i > index) this.changed(path, false, DEPENDENTS_DELAY_MS);
    }
  }

  private publish(
    docPath: string,
    uri: string,
    version: number | undefined,
    diagnostics: Diagnostic[],
  ): void {
    void this.connection
      .sendDiagnostics({ uri, version, diagnostics })
      .catch((e: unknown) => this.log.error(`publishing diagnostics for ${docPath}: ${String(e)}`));
  }
}
