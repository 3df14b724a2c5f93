/**
 * Flyway's `flyway_schema_history` (read only): versioned rows keyed by the normalised version,
 * repeatable rows (no version) by description; `success = false` is a failed run; the CRC32
 * checksum shows files edited after they were applied.
 */
import type { Migration } from '../../folder/model';
import { flywayChecksum } from './checksums';
import { tableExists, type AppliedRow, type HistoryAdapter } from './types';

const TABLE = 'flyway_schema_history';

/** 1.1, 1_1 and 1.01 are one version; trailing zero parts do not count. */
function norm(version: string): string {
  const parts = version.split(/[._]/).map((p) => (/^\d+$/.test(p) ? BigInt(p).toString() : p));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

function keyOf(m: Migration): string {
  return m.version.startsWith('R__') ? `R:${m.name.replace(/_/g, ' ')}` : norm(m.version);
}

export const flywayHistory: HistoryAdapter = {
  runner: 'flyway',
  table: TABLE,
  writable: false,
  keyOf,
  exists: (c) => tableExists(c, TABLE),
  async read(c) {
    if (!(await tableExists(c, TABLE))) return [];
    const r = await c.query<{
      version: string | null;
      description: string;
      type: string;
      checksum: number | null;
      installed_on: Date;
      execution_time: number | null;
      success: boolean;
    }>(
      `SELECT version, description, type, checksum, installed_on, execution_time, success
         FROM ${TABLE} ORDER BY installed_rank`,
    );
    const byKey = new Map<string, AppliedRow>();
    for (const x of r.rows) {
      if (x.type === 'SCHEMA' || x.type === 'BASELINE' || x.type === 'DELETE') continue;
      const key = x.version === null ? `R:${x.description}` : norm(x.version);
      // an undo row takes the version back out
      if (x.type.startsWith('UNDO')) {
        if (x.success) byKey.delete(key);
        continue;
      }
      byKey.delete(key);
      byKey.set(key, {
        key,
        version: x.version ?? `R__${x.description}`,
        name: x.description,
        appliedAt: x.installed_on,
        failed: !x.success,
        checksum: x.checksum === null ? undefined : String(x.checksum),
        durationMs: x.execution_time ?? undefined,
      });
    }
    return [...byKey.values()];
  },
  checksumOf: (m) => flywayChecksum(m.files[0].text),
};
