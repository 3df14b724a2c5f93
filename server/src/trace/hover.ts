/**
 * Trace results kept per file for the editor's hovers: the last trace of a file answers a hover on
 * any of its statements until the file changes. The language server owns the store and forgets a
 * file on every edit.
 */
import type { Position } from '../text/positions';
import type { StatementTrace, TraceResult } from './types';

function inside(t: StatementTrace, p: Position): boolean {
  const { start, end } = t.range;
  if (p.line < start.line || p.line > end.line) return false;
  if (p.line === start.line && p.character < start.character) return false;
  return !(p.line === end.line && p.character > end.character);
}

export class TraceStore {
  private readonly byFile = new Map<string, TraceResult[]>();

  /** Keeps a result for every file its statements are in (UP and DOWN may be separate files). */
  remember(r: TraceResult): void {
    const files = new Set(r.sections.map((s) => s.file));
    for (const f of files) {
      const kept = (this.byFile.get(f) ?? []).filter(
        (x) => !x.sections.some((s) => s.file === f && r.sections.some((y) => y.kind === s.kind)),
      );
      this.byFile.set(f, [...kept, r]);
    }
  }

  forget(file: string): void {
    this.byFile.delete(file);
  }

  /** The traced statement at a position, if the file was traced since its last change. */
  statementAt(
    file: string,
    p: Position,
  ): { result: TraceResult; statement: StatementTrace } | undefined {
    for (const result of this.byFile.get(file) ?? [])
      for (const s of result.sections)
        if (s.file === file)
          for (const statement of s.statements)
            if (inside(statement, p)) return { result, statement };
    return undefined;
  }

  /** Hover markdown for the statement at a position. */
  hoverAt(file: string, p: Position): string | undefined {
    return this.statementAt(file, p)?.statement.hover;
  }
}
