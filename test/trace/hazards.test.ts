/**
 * The hazard catalogue of anchors.md section (b), traced on the embedded database (PostgreSQL 18
 * in PGlite) and on the real server (PostgreSQL 15): each statement's locks, rewrites and scans
 * must be the ones documented there, and the linter's static verdict must agree with them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { notableLocks } from '../../server/src/trace/describe';
import { applyUp } from '../../server/src/trace/replay';
import { openScratch, type Scratch } from '../../server/src/trace/scratch';
import { traceSection } from '../../server/src/trace/traceSection';
import type { StatementTrace } from '../../server/src/trace/types';
import { BASE_SCHEMA, HAZARDS, type HazardCase } from './catalogue';
import { dbmate, requireServer, serverConnection } from './helpers';

const TABLE_KINDS = new Set(['table', 'partitioned table', 'materialized view']);

async function trace(scratch: Scratch, c: HazardCase): Promise<StatementTrace> {
  const text = c.outside
    ? `-- migrate:up transaction:false\n${c.sql};\n-- migrate:down\n`
    : dbmate(`${c.sql};`);
  const m = loadSingleFile(`/virtual/${c.name}.sql`, text);
  const section = await traceSection(scratch, m, m.sections[0]);
  expect(section.statements).toHaveLength(1);
  return section.statements[0];
}

function tableModes(t: StatementTrace): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of t.locks)
    if (l.existing && l.taken && TABLE_KINDS.has(l.kind) && l.mode !== 'ACCESS SHARE')
      out[l.relation] = l.mode;
  return out;
}

function checkCase(t: StatementTrace, c: HazardCase): void {
  expect(t.status, `${c.name}: ${t.error?.message ?? t.reason ?? ''}`).toBe('traced');
  expect(tableModes(t)).toEqual(c.locks);
  for (const [index, mode] of Object.entries(c.indexLocks ?? {}))
    expect(t.locks.find((l) => l.relation === index)?.mode, index).toBe(mode);
  for (const r of c.rewritten ?? []) expect([...t.rewritten, ...t.rebuiltIndexes]).toContain(r);
  if (c.notRewritten) expect([...t.rewritten, ...t.rebuiltIndexes]).toEqual([]);
  for (const r of c.scanned ?? []) expect(t.scanned.map((s) => s.relation)).toContain(r);
  if (c.notScanned) expect(t.scanned).toEqual([]);
  // the summary names the strongest lock, as the hover shows it
  const strongest = notableLocks(t.locks)[0];
  expect(t.summary).toContain(`${strongest.mode} on`);
  expect(t.disagreements, c.name).toEqual([]);
}

// statements committed outside a transaction change the base: they run last
const ORDERED = [...HAZARDS.filter((c) => !c.outside), ...HAZARDS.filter((c) => c.outside)];

describe.each([
  ['embedded PostgreSQL (PGlite)', false],
  ['PostgreSQL server', true],
])('hazard catalogue on %s', (_name, onServer) => {
  let scratch: Scratch;
  beforeAll(async () => {
    await initParser();
    if (onServer) await requireServer();
    scratch = await openScratch(onServer ? serverConnection() : undefined);
    await applyUp(scratch.client, loadSingleFile('/virtual/base.sql', dbmate(BASE_SCHEMA)));
  });
  afterAll(async () => scratch?.close());

  for (const c of ORDERED) {
    it(c.name, async () => {
      const t = await trace(scratch, c);
      if (c.outside && !onServer) {
        // one session: the statement runs, its locks cannot be watched
        expect(t.status).toBe('not-traced');
        expect(t.transaction).toBe('outside');
        expect(t.reason).toContain('single session');
        return;
      }
      checkCase(t, c);
      if (c.outside) expect(t.transaction).toBe('outside');
      else expect(t.transaction).toBe('section');
    });
  }
});
