/**
 * dbmate's `schema_migrations(version varchar(128) primary key)`: a row per applied version, deleted
 * on rollback; rollback takes the highest version. dbmate keeps no timestamps and takes no lock.
 */
import { HistoryConflict } from './conflict';
import { columnsOf, tableExists, type HistoryAdapter, type Queryable } from './types';

const TABLE = 'schema_migrations';

async function checkShape(c: Queryable): Promise<boolean> {
  if (!(await tableExists(c, TABLE))) return false;
  const cols = await columnsOf(c, TABLE);
  if (cols.has('dirty'))
    throw new HistoryConflict(
      `${TABLE} has a "dirty" column: it is golang-migrate's table, not dbmate's`,
    );
  return true;
}

export const dbmateHistory: HistoryAdapter = {
  runner: 'dbmate',
  table: TABLE,
  writable: true,
  keyOf: (m) => m.version,
  exists: checkShape,
  async read(c) {
    if (!(await checkShape(c))) return [];
    const r = await c.query<{ version: string }>(`SELECT version FROM ${TABLE} ORDER BY version`);
    return r.rows.map((x) => ({ key: x.version, version: x.version }));
  },
  async ensure(c) {
    if (await checkShape(c)) return;
    await c.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (version varchar(128) PRIMARY KEY)`);
  },
  async recordUp(c, m) {
    await c.query(`INSERT INTO ${TABLE} (version) VALUES ($1)`, [m.version]);
  },
  async recordDown(c, m) {
    await c.query(`DELETE FROM ${TABLE} WHERE version = $1`, [m.version]);
  },
};
