/**
 * Trace and verify results as the markdown report the editor opens: per statement its locks and
 * what each blocks, rewrites, scans, duration and where the measurement disagrees with the
 * linter's static verdict. No vscode import: unit tests run this in plain Node.
 */
import type { TraceResult, WireVerifyResult } from '../../../server/src/protocol/trace';
import type { StatementTrace } from '../../../server/src/protocol/trace';
import { statementLine } from './sqlText';

const short = (name: string) => (name.startsWith('public.') ? name.slice('public.'.length) : name);

/** Markdown table cells: no pipes or line breaks from SQL or messages. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

function where(r: { server: TraceResult['server'] }): string {
  return r.server.embedded
    ? `PostgreSQL ${r.server.version} (embedded, in memory)`
    : `PostgreSQL ${r.server.version} — ${r.server.label}`;
}

function statementSection(s: StatementTrace, n: number): string[] {
  const lines = [`### ${n}. \`${statementLine(s.text, 100).replace(/`/g, "'")}\``, ''];
  lines.push(`**Result:** ${s.summary}`, '');
  const facts: string[] = [];
  facts.push(`Status: ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
  if (s.durationMs !== undefined) facts.push(`Duration: ${s.durationMs.toFixed(1)} ms`);
  facts.push(
    `Ran: ${s.transaction === 'section' ? "in the section's transaction" : s.transaction === 'own' ? 'in a transaction of its own' : 'outside a transaction'}`,
  );
  if (s.error)
    facts.push(`Error: ${s.error.message}${s.error.hint ? ` (hint: ${s.error.hint})` : ''}`);
  lines.push(...facts.map((f) => `- ${f}`), '');
  const locks = s.locks.filter((l) => l.existing);
  if (locks.length > 0) {
    lines.push('| Relation | Lock | Blocks | Taken here |', '|---|---|---|:-:|');
    for (const l of locks)
      lines.push(
        `| ${cell(short(l.relation))}${l.kind === 'table' ? '' : ` (${l.kind})`} | ${l.mode}${l.granted ? '' : ' (waited for)'} | ${cell(l.blocks.text)} | ${l.taken ? 'yes' : 'earlier'} |`,
      );
    lines.push('');
  } else lines.push('No lock on a relation that existed before the migration.', '');
  const effects: string[] = [];
  if (s.rewritten.length > 0) effects.push(`Rewritten: ${s.rewritten.map(short).join(', ')}`);
  if (s.rebuiltIndexes.length > 0)
    effects.push(`Indexes rebuilt: ${s.rebuiltIndexes.map(short).join(', ')}`);
  if (s.scanned.length > 0)
    effects.push(
      `Scanned: ${s.scanned.map((x) => `${short(x.relation)} (${x.seqScans} sequential scan${x.seqScans === 1 ? '' : 's'})`).join(', ')}`,
    );
  if (s.created.length > 0) effects.push(`Created: ${s.created.map(short).join(', ')}`);
  if (s.dropped.length > 0) effects.push(`Dropped: ${s.dropped.map(short).join(', ')}`);
  if (effects.length > 0) lines.push(...effects.map((e) => `- ${e}`), '');
  if (s.disagreements.length > 0)
    lines.push(
      '**Static verdict vs measurement:**',
      '',
      ...s.disagreements.map((d) => `- ${d.message}`),
      '',
    );
  for (const w of s.weights ?? []) lines.push(`- ${w}`);
  return lines;
}

export function traceReport(r: TraceResult): string {
  const lines = [
    `# Lock trace: ${r.migration.label}`,
    '',
    `Measured on ${where(r)}, after replaying ${r.replayed} earlier migration${r.replayed === 1 ? '' : 's'} (${r.replayMs.toFixed(0)} ms). Everything was rolled back unless noted.`,
    '',
  ];
  const disagreements = r.sections.flatMap((s) => s.statements).flatMap((s) => s.disagreements);
  lines.push(
    disagreements.length === 0
      ? 'The measurement agrees with the linter’s static verdict on every statement.'
      : `**${disagreements.length} disagreement${disagreements.length === 1 ? '' : 's'} with the linter’s static verdict** (see the statements below).`,
    '',
  );
  for (const note of r.notes) lines.push(`> ${note}`, '');
  for (const w of r.live?.warnings ?? []) lines.push(`> **Warning:** ${w}`, '');
  for (const sz of r.live?.sizes ?? []) lines.push(`- ${sz.text}`);
  for (const section of r.sections) {
    lines.push(
      `## ${section.kind.toUpperCase()} — ${section.file.split(/[\\/]/).pop()}`,
      '',
      `Run ${section.transaction}; left on the scratch database: ${section.applied}.`,
      '',
    );
    section.statements.forEach((s, i) => lines.push(...statementSection(s, i + 1)));
  }
  return lines.join('\n');
}

export function verifyReport(r: WireVerifyResult): string {
  const lines = [
    '# Round-trip verification',
    '',
    `On ${where(r)}, after replaying ${r.replayed} earlier migration${r.replayed === 1 ? '' : 's'}: UP, DOWN (must restore the schema), UP again (must reproduce it).`,
    '',
    r.ok ? '**Every checked DOWN restores the schema.**' : '**Problems found.**',
    '',
  ];
  for (const m of r.migrations) {
    lines.push(`## ${m.label} — ${m.status} (${m.durationMs.toFixed(0)} ms)`, '');
    if (m.reason) lines.push(m.reason, '');
    for (const d of m.differences)
      lines.push(`- ${d.phase === 'down' ? 'after DOWN' : 'after UP again'}: ${d.message}`);
    if (m.failure)
      lines.push(
        `- ${m.failure.phase} fails: ${m.failure.message}${m.failure.hint ? ` (hint: ${m.failure.hint})` : ''}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
