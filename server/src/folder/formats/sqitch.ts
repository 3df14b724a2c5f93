/**
 * sqitch: `sqitch.plan` lists the changes in deploy order; `deploy/<change>.sql` is the UP,
 * `revert/<change>.sql` the DOWN, `verify/` scripts are checks, not migrations. sqitch runs each
 * script through psql as it is, so statements autocommit unless the script opens its own
 * transaction (its templates wrap the body in BEGIN … COMMIT).
 *
 * There is no newMigration: a change only deploys once it is added to sqitch.plan, and a fix can
 * create files but not edit the plan.
 */
import { basename, dirname, join } from 'node:path';
import type { FormatHandler, Listing } from '../format';
import type { Migration, Section, SourceFile } from '../model';
import { hasFile, wholeFile } from './shared';

const PLAN = 'sqitch.plan';
const SOURCE = 'sqitch runs scripts as written; they manage their own BEGIN/COMMIT';

type PlanLine = { tag: string } | { change: string };

/** The plan's changes and tags in order; pragmas, comments and blank lines skipped. */
export function parsePlan(text: string): PlanLine[] {
  const out: PlanLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('%') || line.startsWith('#')) continue;
    const tag = /^@(\S+)/.exec(line);
    if (tag) {
      out.push({ tag: tag[1] });
      continue;
    }
    // a leading + or - marks a deploy or revert entry in older plans
    const change = /^[+-]?([^\s[]+)/.exec(line);
    if (change) out.push({ change: change[1] });
  }
  return out;
}

/**
 * Script names in deploy order. A reworked change keeps its earlier scripts as `<change>@<tag>`,
 * the tag being the first one after that earlier entry.
 */
function scriptNames(plan: PlanLine[]): Array<{ script: string; change: string }> {
  const out: Array<{ script: string; change: string }> = [];
  plan.forEach((entry, i) => {
    if (!('change' in entry)) return;
    const later = plan.slice(i + 1);
    const reworked = later.some((e) => 'change' in e && e.change === entry.change);
    const tag = reworked ? later.find((e): e is { tag: string } => 'tag' in e) : undefined;
    out.push({ script: tag ? `${entry.change}@${tag.tag}` : entry.change, change: entry.change });
  });
  return out;
}

function section(file: SourceFile, kind: 'up' | 'down'): Section {
  return wholeFile(file, kind, 'none', SOURCE);
}

function planOrder(listing: Listing, listed: Set<string>) {
  if (hasFile(listing, listed, PLAN)) return scriptNames(parsePlan(listing.read(PLAN).text));
  // no plan (or a partial re-load without it): deploy scripts by name
  return listing.files
    .filter((f) => /^deploy\/.+\.sql$/.test(f))
    .map((f) => f.slice('deploy/'.length, -'.sql'.length))
    .map((script) => ({ script, change: script.replace(/@[^@]*$/, '') }));
}

export const sqitch: FormatHandler = {
  id: 'sqitch',
  hasDown: true,
  detect(listing) {
    if (listing.files.includes(PLAN)) return { score: 30, reason: PLAN };
    const deploy = listing.files.filter((f) => /^deploy\/.+\.sql$/.test(f));
    const revert = listing.files.filter((f) => /^revert\/.+\.sql$/.test(f));
    if (deploy.length === 0 || revert.length === 0) return undefined;
    return { score: 9, reason: `deploy/ and revert/ scripts without ${PLAN}` };
  },
  load(listing) {
    const listed = new Set(listing.files);
    const used = new Set<string>();
    const migrations: Migration[] = [];
    for (const { script, change } of planOrder(listing, listed)) {
      const up = `deploy/${script}.sql`;
      const down = `revert/${script}.sql`;
      const rels = [up, down].filter((r) => listed.has(r));
      if (rels.length === 0) continue;
      rels.forEach((r) => used.add(r));
      const files = rels.map((r) => listing.read(r));
      migrations.push({
        id: script,
        version: script,
        name: change,
        format: 'sqitch',
        files,
        sections: rels.map((r, i) => section(files[i], r === up ? 'up' : 'down')),
        formatHasDown: true,
        downTarget: { kind: 'file', path: join(listing.root, down) },
        label: rels[0],
      });
    }
    return { migrations, ignored: listing.files.filter((f) => !used.has(f)) };
  },
  sectionsOfFile(file) {
    const dir = basename(dirname(file.path));
    if (!file.path.endsWith('.sql')) return undefined;
    if (dir === 'deploy') return [section(file, 'up')];
    if (dir === 'revert') return [section(file, 'down')];
    return undefined;
  },
  downTargetOf(file) {
    return { kind: 'file', path: join(dirname(dirname(file.path)), 'revert', basename(file.path)) };
  },
};
