/** `file:line:column: severity rule message`, one finding per line, help indented below. */
import type { Finding } from '../findings';

export function formatText(findings: Finding[]): string {
  return findings
    .map((f) => {
      const head = `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}`;
      return f.help ? `${head}\n  help: ${f.help}` : head;
    })
    .map((l) => `${l}\n`)
    .join('');
}

export function summaryLine(findings: Finding[]): string {
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  return `${findings.length} problem${findings.length === 1 ? '' : 's'} (${n('error')} errors, ${n('warning')} warnings, ${n('info') + n('hint')} info)`;
}
