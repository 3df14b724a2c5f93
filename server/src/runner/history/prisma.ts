/**
 * Prisma's `_prisma_migrations` (read only): a row per migration directory; unfinished rows that
 * were not rolled back are failed runs; the checksum is the sha256 of migration.sql.
 */
import { sha256Hex } from './checksums';
import { tableExists, type HistoryAdapter } from './types';

const TABLE = '_prisma_migrations';

export const prismaHistory: HistoryAdapter = {
  runner: 'prisma',
  table: TABLE,
  writable: false,
  keyOf: (m) => `${m.version}_${m.name}`,
  exists: (c) => tableExists(c, TABLE),
  async read(c) {
    if (!(await tableExists(c, TABLE))) return [];
    const r = await c.query<{
      migration_name: string;
      checksum: string;
      started_at: Date;
      finished_at: Date | null;
    }>(
      `SELECT migration_name, checksum, started_at, finished_at FROM ${TABLE}
        WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    return r.rows.map((x) => ({
      key: x.migration_name,
      version: x.migration_name.replace(/_.*$/, ''),
      name: x.migration_name.replace(/^[^_]*_/, ''),
      appliedAt: x.finished_at ?? x.started_at,
      failed: x.finished_at === null,
      checksum: x.checksum,
      durationMs: x.finished_at ? x.finished_at.getTime() - x.started_at.getTime() : undefined,
    }));
  },
  checksumOf: (m) => sha256Hex(m.files[0].text),
};
