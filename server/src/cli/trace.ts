/**
 * `pgmig trace <file>`: what each statement of a migration really locks, rewrites and scans,
 * measured on a scratch database after replaying the migrations before it. With `--db` on a
 * development server, also how big the locked tables are there and which open transactions the
 * migration would queue behind.
 */
import { parseDuration } from '../runner/config';
import { addLiveReport } from '../trace/live';
import { migrationTarget } from '../trace/target';
import { traceFolder, traceMigration } from '../trace/traceMigration';
import { isDirectory, loadFolder } from '../folder/load';
import type { StatementTrace, TraceResult } from '../trace/types';
import type { Io } from './io';
import { SCRATCH_HELP, SCRATCH_OPTIONS, withScratch } from './scratchSetup';
import { parseCommandArgs, UsageError } from './args';

const HELP = `Usage: pgmig trace <file|folder> [options]

Replays the migrations before <file> on a scratch database, then runs its statements one by one
the way its runner does (a transactional migration inside one transaction, rolled back at the
end) and reports, for each statement, the locks its session held and what they block, the tables
rewritten and scanned, and how long it took. Statements that cannot run in a transaction block
(CONCURRENTLY, VACUUM) run outside one; their locks are observed from a second session on a
server, and reported as not traced on the embedded database. Differences from the linter's
static verdict are listed. Given a folder, traces every migration in order, each on top of the
ones before it.

Options:
  --down                           trace the DOWN section (the UP is applied first)
  --long-transaction <duration>    with --db: report transactions open longer than this (default 60s)
${SCRATCH_HELP}`;

export async function traceCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('trace', argv, io, HELP, {
    ...SCRATCH_OPTIONS,
    down: { type: 'boolean', default: false },
    'long-transaction': { type: 'string' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) {
    io.stderr.write('pgmig trace: give one migration file or folder\n');
    return 2;
  }
  return withScratch('trace', v, positionals[0], io, async (setup, scratch) => {
    let longSeconds: number | undefined;
    if (v['long-transaction'] !== undefined) {
      try {
        longSeconds = parseDuration(v['long-transaction'], '--long-transaction') / 1000;
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    if (isDirectory(setup.path)) {
      if (v.down) throw new UsageError('--down traces one migration: give its file');
      const migrations = loadFolder(setup.path, { format: setup.format }).migrations;
      if (migrations.length === 0) throw new UsageError(`no migrations found in ${positionals[0]}`);
      const t0 = performance.now();
      const { results, stopped } = await traceFolder(scratch, migrations);
      if (setup.json) io.stdout.write(`${JSON.stringify({ results, stopped }, null, 2)}\n`);
      else {
        for (const r of results) io.stdout.write(`${formatTrace(r, setup.display)}\n`);
        const statements = results.flatMap((r) => r.sections.flatMap((s) => s.statements));
        const differ = statements.filter((t) => t.disagreements.length > 0).length;
        io.stdout.write(
          `${results.length} of ${migrations.length} migration(s), ${statements.length} statement(s) traced in ${ms(performance.now() - t0)}` +
            (differ ? `; ${differ} differ from the static verdict` : '') +
            (stopped ? `\nstopped: ${stopped}` : '') +
            '\n',
        );
      }
      return stopped || results.some((r) => !r.ok) ? 1 : 0;
    }
    const target = migrationTarget(setup.path, { format: setup.format });
    const result = await traceMigration(scratch, {
      migration: target.migration,
      earlier: target.earlier,
      direction: v.down ? 'down' : 'up',
    });
    if (scratch.origin && setup.connection)
      await addLiveReport(scratch.origin, setup.connection.label, result, { longSeconds });
    if (setup.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout.write(formatTrace(result, setup.display));
    return result.ok ? 0 : 1;
  });
}

function ms(n: number): string {
  return n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;
}

function statementLines(t: StatementTrace): string[] {
  const where = `${t.range.start.line + 1}:${t.range.start.character + 1}`;
  const took = t.durationMs !== undefined ? `  (${ms(t.durationMs)})` : '';
  const out = [`  ${where.padEnd(7)} ${t.text}${took}`];
  const pad = ' '.repeat(10);
  out.push(`${pad}${t.summary}`);
  if (t.error?.hint) out.push(`${pad}hint: ${t.error.hint}`);
  for (const w of t.weights ?? []) out.push(`${pad}${w}`);
  for (const d of t.disagreements) out.push(`${pad}differs from the static verdict: ${d.message}`);
  return out;
}

export function formatTrace(r: TraceResult, display: (p: string) => string): string {
  const lines: string[] = [];
  const where = `PostgreSQL ${r.server.version}${r.server.embedded ? ' (embedded, in memory)' : ` (${r.server.label})`}`;
  lines.push(
    `Trace of ${r.migration.label} — measured on ${where}` +
      (r.replayed > 0
        ? `, after replaying ${r.replayed} earlier migration(s) in ${ms(r.replayMs)}`
        : ''),
  );
  for (const s of r.sections) {
    lines.push('', `${s.kind.toUpperCase()} (${display(s.file)}) runs ${s.transaction}`);
    for (const t of s.statements) lines.push(...statementLines(t));
  }
  const all = r.sections.flatMap((s) => s.statements);
  const differing = all.filter((t) => t.disagreements.length > 0).length;
  if (differing > 0)
    lines.push('', `${differing} statement(s) differ from the static verdict (statementFacts).`);
  if (r.live) {
    lines.push('', `On ${r.live.database}:`);
    if (r.live.sizes.length === 0) lines.push('  none of the locked tables exists there yet');
    for (const s of r.live.sizes) lines.push(`  ${s.text}`);
    for (const w of r.live.warnings) lines.push(`  warning: ${w}`);
    if (r.live.warnings.length === 0) lines.push('  no open transaction holds a conflicting lock');
  }
  for (const n of r.notes) lines.push('', `note: ${n}`);
  return `${lines.join('\n')}\n`;
}
