/** The JSON array documented in the README: 1-based positions, fixes with located edits. */
import type { Finding } from '../findings';

export function formatJson(findings: Finding[]): string {
  return `${JSON.stringify(
    findings.map((f) => ({ ...f, help: f.help ?? null })),
    null,
    2,
  )}\n`;
}
