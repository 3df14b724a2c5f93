/**
 * The hand-written runner's `migrations(id, name, applied_at)` for plain `-- UP`/`-- DOWN` files
 * (and folders of a layout pgmig does not know): a row per applied file, name = its path relative
 * to the folder (the file name for plain folders).
 */
import { HistoryConflict } from './conflict';
import { columnsOf, tableExists, type HistoryAdapter, type Queryable } from './types';

const TABLE = 'migrations';

async function checkShape(c: Queryable): Promise<boolean> {
  if (!(await tableExists(c, TABLE))) return false;
  const cols = await columnsOf(c, TABLE);
  if (!['id', 'name', 'applied_at'].every((k) => cols.has(k)))
    throw new HistoryConflict(
      `a table named ${TABLE} exists without the columns id, name, applied_at: it is not a migration history`,
    );
  return true;
}

export const plainHistory: HistoryAdapter = {
  runner: 'plain',
  table: TABLE,
  writable: true,
  keyOf: (m) => m.label,
  exists: checkShape,
  async read(c) {
    if (!(await checkShape(c))) return [];
    const r = await c.query<{ name: string; applied_at: Date }>(
      `SELECT name, applied_at FROM ${TABLE} ORDER BY id`,
    );
    return r.rows.map((x) => ({
      key: x.name,
      version: x.name.replace(/\.sql$/i, '').replace(/_.*$/, ''),
      name: x.name,
      appliedAt: x.applied_at,
    }));
  },
  async ensure(c) {
    if (await checkShape(c)) return;
    await c.query(`CREATE TABLE ${TABLE} (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  applied_at timestamptz NOT NULL DEFAULT now()
)`);
  },
  async recordUp(c, m) {
    await c.query(`INSERT INTO ${TABLE} (name) VALUES ($1)`, [m.label]);
  },
  async recordDown(c, m) {
    await c.query(`DELETE FROM ${TABLE} WHERE name = $1`, [m.label]);
  },
};
