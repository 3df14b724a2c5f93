/** `pgmig status [folder] [--format json]`: every migration's state on the database. */
import { formatFailure } from '../runner/failure';
import type { StatusReport } from '../runner/runner';
import { wireStatus } from '../runner/wire';
import { COMMON_HELP, COMMON_OPTIONS, withRunner } from './runnerSetup';
import type { Io } from './io';
import { parseCommandArgs } from './args';

const HELP = `Usage: pgmig status [folder] [options]

Lists every migration with its state — applied, pending, failed, changed-since-applied (the file
was edited after it was applied), missing-file (applied, but the file is gone) — with the time
it was applied, read from the folder's runner history.

Options:
${COMMON_HELP}`;

function when(d: Date | undefined): string {
  return d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '';
}

function table(r: StatusReport, display: (p: string) => string): string {
  const rows = r.entries.map((e) => [
    e.state + (e.outOfOrder ? ' (out of order)' : ''),
    e.version,
    e.name,
    when(e.appliedAt),
    e.file ? display(e.file) : '',
  ]);
  const head = ['STATE', 'VERSION', 'NAME', 'APPLIED AT', 'FILE'];
  const widths = head.map((h, i) =>
    Math.min(48, Math.max(h.length, ...rows.map((x) => x[i].length))),
  );
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export async function statusCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('status', argv, io, HELP, COMMON_OPTIONS);
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    io.stderr.write('pgmig status: give one folder\n');
    return 2;
  }
  return withRunner(v, positionals[0], io, async (o) => {
    const r = await o.runner.status();
    if (o.json) {
      io.stdout.write(`${JSON.stringify(wireStatus(r), null, 2)}\n`);
      return 0;
    }
    const counts = new Map<string, number>();
    for (const e of r.entries) counts.set(e.state, (counts.get(e.state) ?? 0) + 1);
    io.stdout.write(
      `${r.folder.format} folder ${o.display(r.folder.root)}, history ${r.history.table}` +
        `${r.history.exists ? '' : ' (not created yet)'}${r.history.writable ? '' : ' (read only)'}\n`,
    );
    io.stdout.write(table(r, o.display));
    io.stdout.write(`${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'no migrations'}\n`);
    for (const other of r.others)
      io.stdout.write(`also found: ${other.runner} history ${other.table} (${other.rows} rows)\n`);
    if (r.blocked)
      io.stderr.write(`pgmig: runs are blocked: ${formatFailure(r.blocked, o.display)}\n`);
    return 0;
  });
}
