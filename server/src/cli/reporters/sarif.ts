/**
 * SARIF 2.1.0 for code-scanning uploads, with rule metadata and fixes. Results are written one by
 * one for the same reason as the JSON reporter: a whole log can outgrow V8's longest string.
 */
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, LocatedEdit } from '../findings';
import type { Rule } from '../../linter/types';

export const RULE_DOCS = 'https://github.com/pgmig/pgmig/blob/main/docs/rules';
const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
const PLACEHOLDER = '"results": []';

/** SARIF locations are URI references: relative ones percent-encoded, absolute ones file: URIs. */
export function sarifUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

export function* formatSarif(
  findings: readonly Finding[],
  rules: readonly Rule[],
  version: string,
): Iterable<string> {
  const usedIds = new Set(findings.map((f) => f.rule));
  const used = rules.filter((r) => usedIds.has(r.id));
  const ruleIndex = new Map(used.map((r, i) => [r.id, i]));
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
              helpUri: `${RULE_DOCS}/${r.id}.md`,
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  const text = JSON.stringify(log, null, 2);
  const at = text.indexOf(PLACEHOLDER);
  yield `${text.slice(0, at)}"results": [`;
  for (let i = 0; i < findings.length; i++) {
    const item = JSON.stringify(result(findings[i], ruleIndex.get(findings[i].rule)), null, 2);
    yield `${i === 0 ? '' : ','}\n        ${item.replace(/\n/g, '\n        ')}`;
  }
  yield `${findings.length > 0 ? '\n      ' : ''}]${text.slice(at + PLACEHOLDER.length)}\n`;
}

function result(f: Finding, ruleIndex: number | undefined) {
  return {
    ruleId: f.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[f.severity],
    message: { text: f.help ? `${f.message} ${f.help}` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: sarifUri(f.file) },
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
        artifactLocation: { uri: sarifUri(file) },
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
  };
}

function groupByFile(edits: readonly LocatedEdit[]): Array<[string, LocatedEdit[]]> {
  const m = new Map<string, LocatedEdit[]>();
  for (const e of edits) {
    const list = m.get(e.file);
    if (list) list.push(e);
    else m.set(e.file, [e]);
  }
  return [...m];
}
