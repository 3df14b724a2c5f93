/**
 * GitHub Actions workflow commands (`::error file=…::message`), escaped as GitHub's runner
 * unescapes them: %, CR and LF in the message; also : and , in property values.
 */
import type { Finding } from '../findings';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const LEVEL = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

export function* formatGithub(findings: readonly Finding[]): Iterable<string> {
  for (const f of findings) {
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(`pgmig ${f.rule}`)}`,
    ].join(',');
    const msg = f.help ? `${f.message}\n${f.help}` : f.message;
    yield `::${LEVEL[f.severity]} ${props}::${escapeData(msg)}\n`;
  }
}
