/**
 * A throwaway PostgreSQL cluster with password authentication (scram-sha-256) and TLS with a
 * self-signed certificate, for the connection-error tests the trust-auth test server cannot
 * produce: wrong password, no password, certificate verification. Built with the server's own
 * initdb/pg_ctl; run as the postgres user when the tests run as root.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions)
    if (existsSync(join(base, v, 'bin/initdb'))) return join(base, v, 'bin');
  throw new Error('PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  port: number;
  password: string;
  /** The self-signed certificate (for sslrootcert). */
  cert: string;
  stop(): void;
}

export async function startCluster(password: string): Promise<Cluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'pgmig-cluster-'));
  const root = userInfo().uid === 0;
  const asPg = (cmd: string, args: string[]) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], {
          stdio: 'pipe',
        })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  const owner = () => {
    if (!root) return;
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    for (const f of readdirSync(dir)) chownSync(join(dir, f), uid, gid);
  };
  const pw = join(dir, 'pw');
  writeFileSync(pw, `${password}\n`);
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-x509',
      '-days',
      '2',
      '-nodes',
      '-subj',
      '/CN=pgmig-test',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    {
      stdio: 'pipe',
    },
  );
  chmodSync(key, 0o600);
  owner();
  const data = join(dir, 'data');
  asPg('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${pw}`,
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  appendFileSync(
    join(data, 'postgresql.conf'),
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nssl = on\nssl_cert_file = '${cert}'\nssl_key_file = '${key}'\nfsync = off\n`,
  );
  asPg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  return {
    port,
    password,
    cert,
    stop() {
      try {
        asPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
