/**
 * History tables of runners whose migrations are not SQL files (Knex, Django, Alembic, Rails) and
 * of ory/pop: read only, shown when they exist so that the editor lists what was applied.
 */
import { columnsOf, tableExists, type HistoryAdapter, type Queryable } from './types';

function readOnly(
  runner: string,
  table: string,
  sql: string,
  row: (x: Record<string, unknown>) => { key: string; name?: string; appliedAt?: Date },
  shape?: (c: Queryable) => Promise<boolean>,
): HistoryAdapter {
  const exists = async (c: Queryable) => (await tableExists(c, table)) && (!shape || shape(c));
  return {
    runner,
    table,
    writable: false,
    keyOf: (m) => m.version,
    exists,
    async read(c) {
      if (!(await exists(c))) return [];
      const r = await c.query(sql);
      return r.rows.map((x) => {
        const v = row(x);
        return { ...v, version: v.key };
      });
    },
  };
}

export const knexHistory = readOnly(
  'knex',
  'knex_migrations',
  'SELECT name, migration_time FROM knex_migrations ORDER BY id',
  (x) => ({ key: String(x.name), name: String(x.name), appliedAt: x.migration_time as Date }),
);

export const djangoHistory = readOnly(
  'django',
  'django_migrations',
  'SELECT app, name, applied FROM django_migrations ORDER BY id',
  (x) => ({
    key: `${String(x.app)}.${String(x.name)}`,
    name: String(x.name),
    appliedAt: x.applied as Date,
  }),
);

export const alembicHistory = readOnly(
  'alembic',
  'alembic_version',
  'SELECT version_num FROM alembic_version',
  (x) => ({ key: String(x.version_num) }),
);

export const railsHistory = readOnly(
  'rails',
  'schema_migrations',
  'SELECT version FROM schema_migrations ORDER BY version',
  (x) => ({ key: String(x.version) }),
  // Rails keeps ar_internal_metadata next to it; without it the table is dbmate's
  async (c) =>
    !(await columnsOf(c, 'schema_migrations')).has('dirty') &&
    (await tableExists(c, 'ar_internal_metadata')),
);

export const popHistory = readOnly(
  'pop',
  'schema_migration',
  'SELECT version FROM schema_migration ORDER BY version',
  (x) => ({ key: String(x.version) }),
);
