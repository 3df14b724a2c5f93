/**
 * The real PostgreSQL server of the database tier (127.0.0.1:5432 unless PGMIG_TEST_SERVER says
 * otherwise): tests create and drop their own uniquely named databases on it. An unreachable
 * server fails the tests with a message saying so; it never skips them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL =
  process.env.PGMIG_TEST_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values?: unknown[],
  database?: string,
): Promise<pg.QueryResult<T>> {
  const c = new pg.Client({ connectionString: database ? urlFor(database) : ADMIN_URL });
  c.on('error', () => {});
  try {
    await c.connect();
  } catch (e) {
    throw new Error(
      `the test PostgreSQL server ${ADMIN_URL} is not reachable (${(e as Error).message}); .ci/run starts it`,
    );
  }
  try {
    return await c.query<T>(sql, values);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: unknown[],
  ): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createDatabase(prefix = 'pgmig_t'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    name,
    url: urlFor(name),
    query: async <T extends pg.QueryResultRow>(sql: string, values?: unknown[]) =>
      (await admin<T>(sql, values, name)).rows,
    drop: async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
