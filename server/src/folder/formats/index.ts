/** The registry of runner formats. */
import type { FormatHandler } from '../format';
import type { FormatId } from '../model';
import { dbmate } from './dbmate';
import { diesel } from './diesel';
import { drizzle } from './drizzle';
import { flyway } from './flyway';
import { golangMigrate } from './golang-migrate';
import { goose } from './goose';
import { nodePgMigrate } from './node-pg-migrate';
import { plain } from './plain';
import { popx } from './popx';
import { prisma } from './prisma';
import { sqitch } from './sqitch';

export const FORMATS: FormatHandler[] = [
  plain,
  goose,
  dbmate,
  golangMigrate,
  popx,
  diesel,
  flyway,
  prisma,
  drizzle,
  nodePgMigrate,
  sqitch,
];

/**
 * Formats recognisable from one file, most specific first: content markers, then names (a popx
 * infix before golang-migrate's bare `.up.sql`), then directory conventions.
 */
export const SINGLE_FILE_ORDER: FormatHandler[] = [
  goose,
  dbmate,
  nodePgMigrate,
  drizzle,
  plain,
  popx,
  golangMigrate,
  flyway,
  prisma,
  diesel,
  sqitch,
];

export function formatById(id: FormatId): FormatHandler {
  const f = FORMATS.find((h) => h.id === id);
  if (!f) throw new Error(`pgmig: unknown migration format '${id}'`);
  return f;
}
