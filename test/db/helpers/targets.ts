/**
 * The two databases every runner test runs against: a fresh database on the real server, and the
 * embedded PGlite database (served over a socket, reached with `pg` like the server). PGlite takes
 * seconds to start, so a test file shares one in-memory instance and each test gets it with an
 * empty public schema.
 */
import { openDatabase, type Database } from '../../../server/src/db/open';
import { resolveConnection } from '../../../server/src/db/resolve';
import { createDatabase } from './server';

export type TargetKind = 'server' | 'embedded';
export const TARGETS: TargetKind[] = ['server', 'embedded'];

export interface Target {
  kind: TargetKind;
  db: Database;
  /** For the server: the database URL (to run other tools against it). */
  url?: string;
  /** Runs SQL on the target through its own connection. */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * `fresh`: an embedded database of its own instead of the shared one (projects that create
 * extensions leave PGlite's single backend with caches a schema reset does not clear).
 */
export async function openTarget(kind: TargetKind, root: string, fresh = false): Promise<Target> {
  if (kind === 'server') {
    const t = await createDatabase();
    const db = await openDatabase(resolveConnection({ db: t.url, embeddedRoot: root, env: {} }));
    return {
      kind,
      db,
      url: t.url,
      query: (sql, values) => t.query(sql, values) as never,
      close: async () => {
        await db.close();
        await t.drop();
      },
    };
  }
  const own = fresh
    ? openDatabase(resolveConnection({ db: 'memory', embeddedRoot: root, env: {} }))
    : undefined;
  shared ??= own
    ? undefined
    : openDatabase(resolveConnection({ db: 'memory', embeddedRoot: root, env: {} }));
  const db = await (own ?? shared!);
  const c = await db.connect();
  await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  return {
    kind,
    db,
    query: async (sql, values) => (await c.query(sql, values)).rows as never,
    close: async () => {
      await c.end();
      if (own) await db.close();
    },
  };
}

let shared: Promise<Database> | undefined;

/** Closes the shared embedded database (call in afterAll). */
export async function closeTargets(): Promise<void> {
  const s = shared;
  shared = undefined;
  await (await s)?.close();
}
