/** Shared by the trace tier: temporary migration folders and the two databases to measure on. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveConnection } from '../../server/src/db/resolve';
import type { ResolvedConnection } from '../../server/src/db/types';

export const SERVER_URL =
  process.env.PGMIG_TEST_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A folder of files (relative path → text) under the system temp dir; removed by `cleanup`. */
export function makeFolder(files: Record<string, string>): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'pgmig-trace-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** dbmate file text: UP and DOWN sections. */
export function dbmate(up: string, down = ''): string {
  return `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`;
}

export function serverConnection(): ResolvedConnection {
  return resolveConnection({ db: SERVER_URL, embeddedRoot: tmpdir(), env: {} });
}

/** Fails with a clear message when the test server is down (`.ci/run` starts one). */
export async function requireServer(): Promise<void> {
  if (!(await serverReachable()))
    throw new Error(
      `the PostgreSQL server at ${SERVER_URL} is not reachable: start it (.ci/run does), or set PGMIG_TEST_SERVER`,
    );
}

/** Whether the test server accepts TCP connections (the tier needs it; `.ci/run` starts one). */
export function serverReachable(): Promise<boolean> {
  const u = new URL(SERVER_URL.replace(/^postgres(ql)?:/, 'http:'));
  return new Promise((resolve) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port || 5432) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
