/**
 * golang-migrate's `schema_migrations(version bigint, dirty boolean)`: a single row with the
 * current version, rewritten by TRUNCATE + INSERT. Every file version up to it counts as applied;
 * `dirty` marks a run that stopped half-way (golang-migrate refuses to run until `migrate force`).
 * Its advisory lock key is crc32(schema \0 table \0 database) × 1486364155 (32-bit).
 */
import { crc32 } from 'node:zlib';
import { HistoryConflict } from './conflict';
import { integerKey, previousOf } from './keys';
import {
  columnsOf,
  tableExists,
  type AppliedRow,
  type HistoryAdapter,
  type Queryable,
} from './types';

const TABLE = 'schema_migrations';
const SALT = 1486364155;

async function checkShape(c: Queryable): Promise<boolean> {
  if (!(await tableExists(c, TABLE))) return false;
  const cols = await columnsOf(c, TABLE);
  if (!cols.has('dirty'))
    throw new HistoryConflict(
      `${TABLE} exists but has no "dirty" column, so it is not golang-migrate's (dbmate and Rails use the same name)`,
    );
  return true;
}

async function setVersion(
  c: Queryable,
  version: string | undefined,
  dirty: boolean,
): Promise<void> {
  await c.query(`TRUNCATE ${TABLE}`);
  if (version !== undefined)
    await c.query(`INSERT INTO ${TABLE} (version, dirty) VALUES ($1, $2)`, [version, dirty]);
}

export const golangMigrateHistory: HistoryAdapter = {
  runner: 'golang-migrate',
  table: TABLE,
  writable: true,
  keyOf: (m) => integerKey(m.version),
  exists: checkShape,
  async read(c, migrations) {
    if (!(await checkShape(c))) return [];
    const r = await c.query<{ version: string; dirty: boolean }>(
      `SELECT version::text AS version, dirty FROM ${TABLE} LIMIT 1`,
    );
    const row = r.rows[0];
    // -1 is golang-migrate's "no version" (left dirty by a failed first down)
    if (!row || row.version === '-1') return [];
    const current = BigInt(row.version);
    const rows: AppliedRow[] = migrations
      .filter((m) => /^\d+$/.test(m.version) && BigInt(m.version) <= current)
      .map((m) => ({ key: integerKey(m.version), version: m.version }));
    const top = rows.find((x) => x.key === row.version);
    if (top) top.failed = row.dirty;
    else rows.push({ key: row.version, version: row.version, failed: row.dirty });
    return rows;
  },
  async lockKey(c) {
    const r = await c.query<{ s: string; d: string }>(
      'SELECT current_schema() AS s, current_database() AS d',
    );
    const sum = crc32(Buffer.from([r.rows[0].s, TABLE, r.rows[0].d].join('\0'), 'utf8'));
    return String(Number((BigInt(sum) * BigInt(SALT)) & 0xffffffffn));
  },
  async ensure(c) {
    if (await checkShape(c)) return;
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`,
    );
  },
  recordUp: (c, m) => setVersion(c, integerKey(m.version), false),
  async recordDown(c, m, migrations) {
    const prev = previousOf(m, migrations);
    await setVersion(c, prev && integerKey(prev.version), false);
  },
  async markDirty(c, m, direction, migrations) {
    // golang-migrate marks the version it is moving to as dirty
    const target = direction === 'up' ? m : previousOf(m, migrations);
    await setVersion(c, target ? integerKey(target.version) : '-1', true);
  },
  async clearDirty(c, m, migrations) {
    const prev = previousOf(m, migrations);
    await setVersion(c, prev && integerKey(prev.version), false);
  },
};
