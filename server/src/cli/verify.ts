/**
 * `pgmig verify <file|folder>`: does DOWN really undo UP? On a scratch database, each migration
 * (the file's, or every one of the folder's) is applied, rolled back and applied again, with the
 * schema compared at each step. Exit code 1 when any DOWN does not restore the schema, so CI can
 * gate on it.
 */
import { isDirectory, loadFolder } from '../folder/load';
import type { Migration } from '../folder/model';
import { migrationTarget } from '../trace/target';
import { verifyRoundTrip } from '../verify/roundTrip';
import type { MigrationVerdict, VerifyResult } from '../verify/roundTripTypes';
import type { Io } from './io';
import { SCRATCH_HELP, SCRATCH_OPTIONS, withScratch } from './scratchSetup';
import { parseCommandArgs } from './args';

const HELP = `Usage: pgmig verify <file|folder> [options]

On a scratch database: applies the migrations before the one checked, snapshots the schema,
applies UP, snapshots, applies DOWN and compares with the first snapshot, applies UP again and
compares with the second. Given a folder, checks every migration in order. Prints each
difference at the DOWN statement it concerns ("index orders_user_idx left behind by DOWN");
exits with 1 when a DOWN does not restore the schema or a step fails.

Options:
${SCRATCH_HELP}`;

export async function verifyCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('verify', argv, io, HELP, { ...SCRATCH_OPTIONS });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) {
    io.stderr.write('pgmig verify: give one migration file or folder\n');
    return 2;
  }
  return withScratch('verify', v, positionals[0], io, async (setup, scratch) => {
    let earlier: Migration[];
    let migrations: Migration[];
    if (isDirectory(setup.path)) {
      earlier = [];
      migrations = loadFolder(setup.path, { format: setup.format }).migrations;
      if (migrations.length === 0) {
        io.stderr.write(`pgmig verify: no migrations found in ${positionals[0]}\n`);
        return 2;
      }
    } else {
      const t = migrationTarget(setup.path, { format: setup.format });
      earlier = t.earlier;
      migrations = [t.migration];
    }
    const result = await verifyRoundTrip(scratch, { earlier, migrations });
    if (setup.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout.write(formatVerify(result, setup.display));
    return result.ok ? 0 : 1;
  });
}

function at(
  display: (p: string) => string,
  x: { file: string; range: { start: { line: number; character: number } } },
): string {
  return `${display(x.file)}:${x.range.start.line + 1}:${x.range.start.character + 1}`;
}

function verdictLines(v: MigrationVerdict, display: (p: string) => string): string[] {
  const head: Record<MigrationVerdict['status'], string> = {
    restored: 'ok: DOWN restores the schema, UP applies again',
    differences: `DOWN does not round-trip (${v.differences.length} difference(s))`,
    'no-down': 'no DOWN: applied, not checked',
    'up-failed': 'UP fails',
    'down-failed': 'DOWN fails',
    'up-again-failed': 'UP fails when applied again after DOWN',
    skipped: v.reason ?? 'not checked',
  };
  const out = [`${v.label}: ${head[v.status]}`];
  if (v.failure) {
    out.push(`  ${at(display, v.failure)}: ${v.failure.message}`);
    if (v.failure.hint) out.push(`    hint: ${v.failure.hint}`);
  }
  for (const d of v.differences) out.push(`  ${at(display, d)}: ${d.message}`);
  return out;
}

export function formatVerify(r: VerifyResult, display: (p: string) => string): string {
  const lines = [
    `Round trip on PostgreSQL ${r.server.version}${r.server.embedded ? ' (embedded, in memory)' : ` (${r.server.label})`}` +
      (r.replayed > 0 ? `, after applying ${r.replayed} earlier migration(s)` : ''),
    '',
  ];
  for (const v of r.migrations) {
    // a folder of hundreds: only the ones that need attention, and a count
    if (r.migrations.length > 1 && (v.status === 'restored' || v.status === 'no-down')) continue;
    lines.push(...verdictLines(v, display));
  }
  const count = (s: MigrationVerdict['status']) =>
    r.migrations.filter((v) => v.status === s).length;
  const checked = r.migrations.length - count('no-down') - count('skipped');
  lines.push(
    '',
    `${r.migrations.length} migration(s): ${count('restored')} of ${checked} with a DOWN round-trip exactly` +
      (count('differences') ? `, ${count('differences')} with differences` : '') +
      (count('up-failed') + count('down-failed') + count('up-again-failed')
        ? `, ${count('up-failed') + count('down-failed') + count('up-again-failed')} failed`
        : '') +
      (count('no-down') ? `, ${count('no-down')} without DOWN` : '') +
      (count('skipped') ? `, ${count('skipped')} not checked` : ''),
  );
  return `${lines.join('\n')}\n`;
}
