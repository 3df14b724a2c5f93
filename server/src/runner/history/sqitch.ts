/**
 * sqitch's registry `sqitch.changes` (read only): a row per deployed change with the SHA-1 of its
 * deploy script.
 */
import { sha1Hex } from './checksums';
import { tableExists, type HistoryAdapter } from './types';

const TABLE = 'sqitch.changes';

export const sqitchHistory: HistoryAdapter = {
  runner: 'sqitch',
  table: TABLE,
  writable: false,
  keyOf: (m) => m.name,
  exists: (c) => tableExists(c, TABLE),
  async read(c) {
    if (!(await tableExists(c, TABLE))) return [];
    const r = await c.query<{ change: string; script_hash: string | null; committed_at: Date }>(
      `SELECT change, script_hash, committed_at FROM ${TABLE} ORDER BY committed_at`,
    );
    return r.rows.map((x) => ({
      key: x.change,
      version: x.change,
      name: x.change,
      appliedAt: x.committed_at,
      checksum: x.script_hash ?? undefined,
    }));
  },
  checksumOf: (m) => sha1Hex(m.files[0].text),
};
