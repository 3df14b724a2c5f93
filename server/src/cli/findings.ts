/**
 * Violations turned into what reporters print: display paths and 1-based line/column positions
 * (through TextIndex, the one place for position math).
 */
import type { SourceFile } from '../folder/model';
import type { Severity, Violation } from '../linter/types';
import { TextIndex } from '../text/positions';

export interface LocatedEdit {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  newText: string;
  create?: boolean;
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  help?: string;
  fixes: Array<{ title: string; edits: LocatedEdit[] }>;
}

const EMPTY = new TextIndex('');

export function locate(
  v: Violation,
  files: ReadonlyMap<string, SourceFile>,
  display: (absPath: string) => string,
): Finding {
  const index = files.get(v.file)?.index ?? EMPTY;
  const s = index.positionAt(v.start);
  const e = index.positionAt(v.end);
  return {
    file: display(v.file),
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    rule: v.rule,
    severity: v.severity,
    message: v.message,
    help: v.help,
    fixes: v.fixes.map((f) => ({
      title: f.title,
      edits: f.edits.map((ed) => {
        if (ed.createFile)
          return {
            file: display(ed.file),
            startLine: 1,
            startColumn: 1,
            endLine: 1,
            endColumn: 1,
            newText: ed.newText,
            create: true,
          };
        const idx = files.get(ed.file)?.index ?? EMPTY;
        const a = idx.positionAt(ed.start);
        const b = idx.positionAt(ed.end);
        return {
          file: display(ed.file),
          startLine: a.line + 1,
          startColumn: a.character + 1,
          endLine: b.line + 1,
          endColumn: b.character + 1,
          newText: ed.newText,
        };
      }),
    })),
  };
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
