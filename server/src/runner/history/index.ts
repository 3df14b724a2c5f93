/**
 * Which history a folder's runner keeps, and which other runners' histories a database holds.
 */
import type { FormatId } from '../../folder/model';
import { dbmateHistory } from './dbmate';
import { dieselHistory } from './diesel';
import { drizzleHistory } from './drizzle';
import { flywayHistory } from './flyway';
import { golangMigrateHistory } from './golang-migrate';
import { gooseHistory } from './goose';
import { nodePgMigrateHistory } from './node-pg-migrate';
import { alembicHistory, djangoHistory, knexHistory, popHistory, railsHistory } from './others';
import { plainHistory } from './plain';
import { prismaHistory } from './prisma';
import { sqitchHistory } from './sqitch';
import type { HistoryAdapter, Queryable } from './types';

const BY_FORMAT: Partial<Record<FormatId, HistoryAdapter>> = {
  goose: gooseHistory,
  'golang-migrate': golangMigrateHistory,
  dbmate: dbmateHistory,
  'node-pg-migrate': nodePgMigrateHistory,
  diesel: dieselHistory,
  plain: plainHistory,
  unknown: plainHistory,
  flyway: flywayHistory,
  prisma: prismaHistory,
  drizzle: drizzleHistory,
  sqitch: sqitchHistory,
  popx: popHistory,
};

/** Every adapter, for listing the histories present in a database. */
export const ALL_HISTORIES: HistoryAdapter[] = [
  gooseHistory,
  golangMigrateHistory,
  dbmateHistory,
  nodePgMigrateHistory,
  dieselHistory,
  plainHistory,
  flywayHistory,
  prismaHistory,
  drizzleHistory,
  sqitchHistory,
  popHistory,
  knexHistory,
  djangoHistory,
  alembicHistory,
  railsHistory,
];

export function historyFor(format: FormatId): HistoryAdapter {
  return BY_FORMAT[format] ?? plainHistory;
}

/** The histories present in the database other than `mine`, with their row counts. */
export async function otherHistories(
  c: Queryable,
  mine: HistoryAdapter,
): Promise<Array<{ runner: string; table: string; rows: number }>> {
  const candidates = ALL_HISTORIES.filter((a) => a !== mine && a.table !== mine.table);
  // one probe for every table name first: most databases hold none of them
  const probe = await c.query<{ t: string }>(
    'SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL',
    [[...new Set(candidates.map((a) => a.table))]],
  );
  const present = new Set(probe.rows.map((r) => r.t));
  // per table, the most specific runner whose shape matches (Rails' schema_migrations is also
  // dbmate-shaped; ar_internal_metadata tells it apart)
  const chosen = new Map<string, HistoryAdapter>();
  for (const a of candidates) {
    if (!present.has(a.table)) continue;
    try {
      if (await a.exists(c)) chosen.set(a.table, a);
    } catch {
      // same table name, other tool's shape
    }
  }
  const out: Array<{ runner: string; table: string; rows: number }> = [];
  for (const a of candidates.filter((x) => chosen.get(x.table) === x)) {
    const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${a.table}`);
    out.push({ runner: a.runner, table: a.table, rows: Number(r.rows[0].n) });
  }
  return out;
}

export type { AppliedRow, HistoryAdapter, Queryable } from './types';
