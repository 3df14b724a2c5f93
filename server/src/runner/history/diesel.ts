/**
 * diesel's `__diesel_schema_migrations(version varchar(50), run_on timestamp)`: the version is the
 * directory name before its first `_`, dashes removed; revert takes the highest version.
 */
import { tableExists, type HistoryAdapter } from './types';

const TABLE = '__diesel_schema_migrations';

const dieselKey = (version: string) => version.replace(/-/g, '');

export const dieselHistory: HistoryAdapter = {
  runner: 'diesel',
  table: TABLE,
  writable: true,
  keyOf: (m) => dieselKey(m.version),
  exists: (c) => tableExists(c, TABLE),
  async read(c) {
    if (!(await tableExists(c, TABLE))) return [];
    const r = await c.query<{ version: string; run_on: Date }>(
      `SELECT version, run_on FROM ${TABLE} ORDER BY version`,
    );
    return r.rows.map((x) => ({ key: x.version, version: x.version, appliedAt: x.run_on }));
  },
  async ensure(c) {
    await c.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
  version VARCHAR(50) PRIMARY KEY NOT NULL,
  run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)`);
  },
  async recordUp(c, m) {
    await c.query(`INSERT INTO ${TABLE} (version) VALUES ($1)`, [dieselKey(m.version)]);
  },
  async recordDown(c, m) {
    await c.query(`DELETE FROM ${TABLE} WHERE version = $1`, [dieselKey(m.version)]);
  },
};
