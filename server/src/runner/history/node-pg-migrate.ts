/**
 * node-pg-migrate's `pgmigrations(id serial, name varchar(255), run_on timestamp)`: a row per
 * applied file (name = file name without extension), in run_on, id order; down deletes it. Its
 * advisory lock is 7241865325823964 (PG_MIGRATE_LOCK_ID).
 */
import { stemOf } from './keys';
import { tableExists, type HistoryAdapter } from './types';

const TABLE = 'pgmigrations';

export const nodePgMigrateHistory: HistoryAdapter = {
  runner: 'node-pg-migrate',
  table: TABLE,
  writable: true,
  keyOf: stemOf,
  exists: (c) => tableExists(c, TABLE),
  async read(c) {
    if (!(await tableExists(c, TABLE))) return [];
    const r = await c.query<{ name: string; run_on: Date }>(
      `SELECT name, run_on FROM ${TABLE} ORDER BY run_on, id`,
    );
    return r.rows.map((x) => ({
      key: x.name,
      version: x.name.replace(/_.*$/, ''),
      name: x.name,
      appliedAt: x.run_on,
    }));
  },
  lockKey: async () => '7241865325823964',
  async ensure(c) {
    if (await tableExists(c, TABLE)) return;
    await c.query(
      `CREATE TABLE ${TABLE} (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)`,
    );
  },
  async recordUp(c, m) {
    await c.query(`INSERT INTO ${TABLE} (name, run_on) VALUES ($1, NOW())`, [stemOf(m)]);
  },
  async recordDown(c, m) {
    await c.query(`DELETE FROM ${TABLE} WHERE name = $1`, [stemOf(m)]);
  },
};
