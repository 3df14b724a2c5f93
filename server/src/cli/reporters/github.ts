/** GitHub Actions workflow commands, escaped as GitHub documents. */
import type { Finding } from '../findings';

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const LEVEL = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

export function formatGithub(findings: Finding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(`pgmig ${f.rule}`)}`,
      ].join(',');
      const msg = f.help ? `${f.message}\n${f.help}` : f.message;
      return `::${LEVEL[f.severity]} ${props}::${escapeData(msg)}\n`;
    })
    .join('');
}
