/** SARIF 2.1.0 for code-scanning uploads, with rule metadata and fixes. */
import type { Finding } from '../findings';
import type { Rule } from '../../linter/types';

const DOCS = 'https://github.com/pgmig/pgmig/blob/main/docs/rules';
const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

export function formatSarif(findings: Finding[], rules: readonly Rule[], version: string): string {
  const used = rules.filter((r) => findings.some((f) => f.rule === r.id));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pgmig',
            version,
            informationUri: 'https://github.com/pgmig/pgmig',
            rules: used.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              helpUri: `${DOCS}/${r.id}.md`,
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          level: LEVEL[f.severity],
          message: { text: f.help ? `${f.message} ${f.help}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
            },
          ],
          fixes: f.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
              artifactLocation: { uri: file },
              replacements: edits.map((e) => ({
                deletedRegion: {
                  startLine: e.startLine,
                  startColumn: e.startColumn,
                  endLine: e.endLine,
                  endColumn: e.endColumn,
                },
                insertedContent: { text: e.newText },
              })),
            })),
          })),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function groupByFile<T extends { file: string }>(items: T[]): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(i.file, [...(m.get(i.file) ?? []), i]);
  return [...m];
}
