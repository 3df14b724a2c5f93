/**
 * A throwaway database to measure migrations on: a fresh in-memory PGlite by default, or, on a
 * development server the user chose, a new database created for the run and dropped after it.
 * The user's own databases are never written to, and a connection marked protected (production)
 * is refused outright.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { DbError } from '../db/errors';
import { openDatabase, type Database, type OpenOptions } from '../db/open';
import type { ResolvedConnection } from '../db/types';
import { describeServer } from '../db/url';
import type { ServerDescription } from './types';

export interface Scratch {
  /** The session the migrations run in. */
  client: pg.Client;
  server: ServerDescription;
  /** A real server: further sessions can watch the first one (PGlite has a single session). */
  multiSession: boolean;
  /** Another session on the scratch database (real servers only). */
  session(): Promise<pg.Client>;
  /**
   * A session on the database the user chose (real servers only): table sizes and live activity
   * come from there, never from the scratch copy.
   */
  origin?: pg.Client;
  close(): Promise<void>;
}

export class ScratchError extends Error {}

const MEMORY: ResolvedConnection = {
  kind: 'memory',
  source: 'default',
  label: 'embedded PostgreSQL (PGlite, in memory)',
};

async function describe(
  client: pg.Client,
  embedded: boolean,
  label: string,
): Promise<ServerDescription> {
  const r = await client.query<{ v: string; n: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n`,
  );
  return { version: r.rows[0].v.split(' ')[0], versionNum: Number(r.rows[0].n), embedded, label };
}

/**
 * Opens a scratch database. `conn` is what `--db` or the editor's choice resolved to; the embedded
 * kinds (`memory`, `embedded`) always give a fresh in-memory database, so a trace never touches
 * the persisted embedded database the runner keeps under `.pgmig/`.
 */
export async function openScratch(
  conn: ResolvedConnection | undefined,
  options: OpenOptions = {},
): Promise<Scratch> {
  const open: OpenOptions = { applicationName: 'pgmig trace', ...options };
  if (!conn || conn.kind !== 'server') return memoryScratch(open);
  if (conn.protected)
    throw new ScratchError(
      `connection '${conn.name ?? conn.label}' is marked protected: pgmig does not create scratch databases there. ` +
        'Choose a development server, or leave --db out to use the embedded database',
    );
  return serverScratch(conn, open);
}

async function memoryScratch(open: OpenOptions): Promise<Scratch> {
  const db = await openDatabase(MEMORY, open);
  try {
    const client = await db.connect();
    const server = await describe(client, true, MEMORY.label);
    return {
      client,
      server,
      multiSession: false,
      session: () => Promise.reject(new ScratchError('the embedded database has a single session')),
      close: () => db.close(),
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function serverScratch(
  conn: Extract<ResolvedConnection, { kind: 'server' }>,
  open: OpenOptions,
): Promise<Scratch> {
  const originDb = await openDatabase(conn, open);
  let origin: pg.Client;
  try {
    origin = await originDb.connect();
  } catch (e) {
    await originDb.close();
    throw e;
  }
  const name = `pgmig_scratch_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await origin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (e) {
    await originDb.close();
    const err = e as { code?: string; message?: string };
    if (err.code === '42501')
      throw new DbError(
        'privileges',
        `user "${conn.params.user}" may not create databases on ${conn.params.host}:${conn.params.port}: ` +
          'pgmig measures migrations in a scratch database it creates and drops, which needs the CREATEDB privilege',
        err.code,
      );
    throw new DbError(
      'other',
      `cannot create a scratch database on ${conn.label}: ${err.message}`,
      err.code,
    );
  }
  const params = { ...conn.params, database: name };
  const label = `scratch database ${describeServer(params)}`;
  const scratchConn: ResolvedConnection = { ...conn, params, label };
  let scratchDb: Database | undefined;
  const drop = async () => {
    await scratchDb?.close();
    // FORCE (PG 13+) ends sessions a failed run left behind
    const force =
      Number((await origin.query('SHOW server_version_num')).rows[0].server_version_num) >= 130000;
    await origin
      .query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${force ? ' WITH (FORCE)' : ''}`)
      .catch(() => {});
    await originDb.close();
  };
  try {
    scratchDb = await openDatabase(scratchConn, open);
    const client = await scratchDb.connect();
    const server = await describe(client, false, label);
    const db = scratchDb;
    return {
      client,
      server,
      multiSession: true,
      session: () => db.connect(),
      origin,
      close: drop,
    };
  } catch (e) {
    await drop();
    throw e;
  }
}
