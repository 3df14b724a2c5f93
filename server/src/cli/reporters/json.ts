/**
 * The JSON array documented in the README: 1-based positions, fixes with located edits. One
 * compact finding per line: CI tools parse it and a human can still grep it, and it is a third of
 * the size of an indented array. Written finding by finding: a file with hundreds of thousands of
 * findings would exceed the longest string V8 can build if the array were stringified at once.
 */
import type { Finding } from '../findings';

export function* formatJson(findings: readonly Finding[]): Iterable<string> {
  if (findings.length === 0) {
    yield '[]\n';
    return;
  }
  yield '[\n';
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    // the same key order whether the finding is fresh or read back from the cache
    yield JSON.stringify({
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      help: f.help ?? null,
      fixes: f.fixes,
    });
    yield i + 1 < findings.length ? ',\n' : '\n';
  }
  yield ']\n';
}
