/**
 * The embedded scratch database: PGlite (PostgreSQL compiled to WebAssembly) served on a local TCP
 * port by pglite-socket, so the runner talks to it with `pg` exactly as to a real server.
 *
 * A persisted database (`<root>/.pgmig/`) may be opened by one process only. The process that
 * opens it writes `.pgmig/server.json` (pid, port); another process (the CLI while the editor has
 * it open) connects to that port instead of opening the files a second time. PGlite has a single
 * backend: every connection shares one session, so the runner locks with a table row there
 * instead of advisory locks (see runner/lock.ts), and cancelling a running statement is not
 * possible (the runner stops between statements).
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { DbError } from './errors';
import { extensions } from './pgliteAssets';

export interface EmbeddedEndpoint {
  host: string;
  port: number;
  /** 'this process', or the pid of the process serving it. */
  servedBy: 'this process' | number;
  release(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Keep a persisted database open this long after its last user leaves (editor: minutes). */
  lingerMs?: number;
  /** How long to wait for another process that is starting the database. */
  startTimeoutMs?: number;
}

interface Hosted {
  db: PGlite;
  server: PGLiteSocketServer;
  host: string;
  port: number;
}

interface Entry {
  refs: number;
  hosted: Promise<Hosted>;
  linger?: NodeJS.Timeout;
  lockFile: string;
}

const SERVER_FILE = 'server.json';
const DATA_DIR = 'pglite';
const MAX_CONNECTIONS = 32;
/** How long a closing process waits for other processes' clients before closing anyway. */
const DRAIN_LIMIT_MS = 10 * 60_000;

const entries = new Map<string, Entry>();
const ownedLocks = new Set<string>();
let exitHook = false;

async function host(dataDir: string | undefined): Promise<Hosted> {
  let db: PGlite;
  try {
    db = await PGlite.create({ ...(dataDir && { dataDir }), extensions: extensions() });
  } catch (e) {
    throw new DbError(
      'embedded',
      `cannot start the embedded database${dataDir ? ` in ${dataDir}` : ''}: ${(e as Error).message}`,
    );
  }
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: MAX_CONNECTIONS,
  });
  await server.start();
  const [h, p] = server.getServerConn().split(':');
  return { db, server, host: h, port: Number(p) };
}

async function stop(h: Hosted): Promise<void> {
  await h.server.stop();
  await h.db.close();
}

/** A fresh in-memory database, closed on release. */
export async function acquireMemory(): Promise<EmbeddedEndpoint> {
  const h = await host(undefined);
  let released = false;
  return {
    host: h.host,
    port: h.port,
    servedBy: 'this process',
    release: async () => {
      if (released) return;
      released = true;
      await stop(h);
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(hostName: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: hostName, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

interface ServerFile {
  pid: number;
  host?: string;
  port?: number;
  /** The serving process is shutting down once its last client leaves: start anew after it. */
  closing?: boolean;
}

function readServerFile(path: string): ServerFile | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as ServerFile;
    return typeof v.pid === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

function removeOwnLock(path: string): void {
  if (!ownedLocks.delete(path)) return;
  try {
    if (readServerFile(path)?.pid === process.pid) unlinkSync(path);
  } catch {
    // already gone
  }
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  // a scratch database never belongs in version control
  if (!existsSync(ignore)) writeFileSync(ignore, '# pgmig scratch database\n*\n');
}

/**
 * Opens (or joins) the persisted database in `dir` (`<root>/.pgmig`). Release every endpoint; the
 * database closes when the last user in this process releases it (after `lingerMs`).
 */
export async function acquireEmbedded(
  dir: string,
  options: EmbeddedOptions = {},
): Promise<EmbeddedEndpoint> {
  const existing = entries.get(dir);
  if (existing) {
    existing.refs++;
    clearTimeout(existing.linger);
    return endpoint(dir, existing, options);
  }
  ensureDir(dir);
  const lockFile = join(dir, SERVER_FILE);
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (createWithContent(lockFile, JSON.stringify({ pid: process.pid }) + '\n')) {
      ownedLocks.add(lockFile);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => {
          for (const f of [...ownedLocks]) removeOwnLock(f);
        });
      }
      const hosted = host(join(dir, DATA_DIR)).then(
        (h) => {
          replaceContent(
            lockFile,
            JSON.stringify({ pid: process.pid, host: h.host, port: h.port }) + '\n',
          );
          return h;
        },
        (e: unknown) => {
          entries.delete(dir);
          removeOwnLock(lockFile);
          throw e;
        },
      );
      const entry: Entry = { refs: 1, hosted, lockFile };
      entries.set(dir, entry);
      return endpoint(dir, entry, options);
    }
    const other = readServerFile(lockFile);
    if (other && other.pid !== process.pid && alive(other.pid)) {
      if (other.port && other.host && !other.closing) {
        if (await canConnect(other.host, other.port))
          return {
            host: other.host,
            port: other.port,
            servedBy: other.pid,
            release: async () => {},
          };
        // a live pid that does not serve: the pid was reused after a crash
        tryUnlink(lockFile);
        continue;
      }
      // the other process is still starting the database, or closing it
      if (Date.now() > deadline)
        throw new DbError(
          'embedded',
          `the embedded database in ${dir} is being ${other.closing ? 'closed' : 'started'} by process ${other.pid}, which did not finish in time`,
        );
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (!other && recentlyWritten(lockFile)) {
      // written by a process that has not finished writing it (older pgmig versions wrote the
      // file in two steps): its owner is alive
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    // stale: its process is gone
    tryUnlink(lockFile);
  }
}

/**
 * Creates `path` holding `content`, or returns false when it exists. The content is in place
 * the moment the file is: a process reading it never sees it empty and takes it for stale.
 */
function createWithContent(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    tryUnlink(tmp);
  }
}

/** Replaces the content of `path` in one step (readers see the old or the new content). */
function replaceContent(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

function recentlyWritten(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // another process removed it first
  }
}

async function endpoint(
  dir: string,
  entry: Entry,
  options: EmbeddedOptions,
): Promise<EmbeddedEndpoint> {
  let h: Hosted;
  try {
    h = await entry.hosted;
  } catch (e) {
    entry.refs--;
    throw e;
  }
  let released = false;
  return {
    host: h.host,
    port: h.port,
    servedBy: 'this process',
    release: async () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      const close = async () => {
        if (entries.get(dir) !== entry || entry.refs > 0) return;
        entries.delete(dir);
        await drain(entry.lockFile, h);
        await stop(h);
        removeOwnLock(entry.lockFile);
      };
      const linger = options.lingerMs ?? 0;
      if (linger <= 0) return close();
      entry.linger = setTimeout(() => void close(), linger);
      entry.linger.unref();
    },
  };
}

/**
 * Before closing a database other processes use: announce the close (newcomers wait for it and
 * then open the files themselves), and wait until the processes still connected are done.
 */
async function drain(lockFile: string, h: Hosted): Promise<void> {
  try {
    replaceContent(
      lockFile,
      JSON.stringify({ pid: process.pid, host: h.host, port: h.port, closing: true }) + '\n',
    );
  } catch {
    return;
  }
  let quietSince = Date.now();
  const giveUp = Date.now() + DRAIN_LIMIT_MS;
  for (;;) {
    if (Date.now() > giveUp) return;
    if (h.server.getStats().activeConnections > 0) quietSince = Date.now();
    // a short quiet spell: a process that read the address just before the announcement connects now
    else if (Date.now() - quietSince >= 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Closes every persisted database this process serves (tests, shutdown). */
export async function closeAllEmbedded(): Promise<void> {
  const all = [...entries.entries()];
  entries.clear();
  for (const [, entry] of all) {
    clearTimeout(entry.linger);
    try {
      await stop(await entry.hosted);
    } catch {
      // it failed to start; nothing to stop
    }
    removeOwnLock(entry.lockFile);
  }
}
