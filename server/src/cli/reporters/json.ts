/**
 * The JSON array documented in the README: 1-based positions, fixes with located edits. Written
 * finding by finding: a file with hundreds of thousands of findings would exceed the longest
 * string V8 can build if the array were stringified at once.
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
    const item = JSON.stringify({ ...f, help: f.help ?? null }, null, 2).replace(/\n/g, '\n  ');
    yield `  ${item}${i + 1 < findings.length ? ',' : ''}\n`;
  }
  yield ']\n';
}
