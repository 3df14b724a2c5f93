/**
 * A verification as editor diagnostics: each round-trip difference on the DOWN statement it
 * concerns (a warning), each failing step on its statement (an error), grouped by file.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { FileDiagnostics } from '../protocol/trace';
import type { VerifyResult } from './roundTripTypes';

export const VERIFY_SOURCE = 'pgmig verify';

export function verifyDiagnostics(r: VerifyResult): FileDiagnostics[] {
  const byFile = new Map<string, Diagnostic[]>();
  const add = (file: string, d: Diagnostic) => byFile.set(file, [...(byFile.get(file) ?? []), d]);
  for (const v of r.migrations) {
    for (const d of v.differences)
      add(d.file, {
        range: d.range,
        severity: DiagnosticSeverity.Warning,
        source: VERIFY_SOURCE,
        code: d.phase === 'down' ? 'down-does-not-restore' : 'up-after-down-differs',
        message: d.message,
      });
    if (v.failure)
      add(v.failure.file, {
        range: v.failure.range,
        severity: DiagnosticSeverity.Error,
        source: VERIFY_SOURCE,
        code: `${v.failure.phase}-fails`,
        message:
          v.failure.message +
          (v.failure.hint ? `\nHint: ${v.failure.hint}` : '') +
          (v.failure.phase === 'up' ? '' : ` (${v.label})`),
      });
  }
  return [...byFile].map(([file, diagnostics]) => ({ file, diagnostics }));
}
