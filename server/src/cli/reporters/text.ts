/** `file:line:column: severity rule message`, one finding per line, help indented below. */
import type { Finding } from '../findings';

export function* formatText(findings: readonly Finding[]): Iterable<string> {
  for (const f of findings) {
    yield `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}\n`;
    if (f.help) yield `  help: ${f.help}\n`;
  }
}

/** The closing count, written to stderr so that stdout holds only findings. */
export function summaryLine(findings: readonly Finding[]): string {
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  return `${plural(findings.length, 'problem')} (${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${n('info') + n('hint')} info)`;
}
