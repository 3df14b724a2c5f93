/**
 * Which database a run talks to. Precedence: an explicit choice (`--db` or the editor's selected
 * connection: a URL, a connection name, `memory`, `embedded`), then DATABASE_URL from the
 * environment, then DATABASE_URL from the workspace `.env`, then the embedded scratch database
 * kept in `<embeddedRoot>/.pgmig/`.
 */
import { join } from 'node:path';
import { readDotenv } from './dotenv';
import type { ConnectionSource, NamedConnection, ResolvedConnection, ServerParams } from './types';
import { ConnectionStringError, describeServer, isPostgresUrl, parsePostgresUrl } from './url';

export interface ResolveInput {
  /** `--db` value, or a connection chosen in the editor. */
  db?: string | NamedConnection;
  named?: readonly NamedConnection[];
  env?: NodeJS.ProcessEnv;
  /** Where a `.env` is looked for (the workspace root). */
  workspaceRoot?: string;
  /** The embedded database lives in `<embeddedRoot>/.pgmig/`. */
  embeddedRoot: string;
}

export const EMBEDDED_DIR = '.pgmig';

export function resolveConnection(input: ResolveInput): ResolvedConnection {
  const env = input.env ?? process.env;
  const named = input.named ?? [];
  if (typeof input.db === 'object') return fromNamed(input.db, env);
  if (input.db !== undefined && input.db.trim() !== '') {
    const db = input.db.trim();
    if (db === 'memory') return memory('--db');
    if (db === 'embedded') return embedded(input.embeddedRoot, '--db');
    if (isPostgresUrl(db)) return fromUrl(db, '--db', env);
    const found = named.find((n) => n.name === db);
    if (found) return fromNamed(found, env);
    const known = named.map((n) => n.name);
    throw new ConnectionStringError(
      `unknown connection '${db}': give a postgres:// URL, memory, embedded` +
        (known.length ? `, or one of the named connections: ${known.join(', ')}` : ''),
    );
  }
  if (env.DATABASE_URL) return fromUrl(env.DATABASE_URL, 'DATABASE_URL', env);
  if (input.workspaceRoot) {
    const vars = readDotenv(join(input.workspaceRoot, '.env'));
    if (vars?.DATABASE_URL) return fromUrl(vars.DATABASE_URL, '.env', env);
  }
  return embedded(input.embeddedRoot, 'default');
}

function memory(source: ConnectionSource): ResolvedConnection {
  return { kind: 'memory', source, label: 'in-memory scratch database (discarded after the run)' };
}

function embedded(root: string, source: ConnectionSource): ResolvedConnection {
  const dir = join(root, EMBEDDED_DIR);
  return { kind: 'embedded', source, dir, label: `embedded scratch database in ${dir}` };
}

function fromUrl(
  url: string,
  source: ConnectionSource,
  env: NodeJS.ProcessEnv,
): ResolvedConnection {
  let params: ServerParams;
  try {
    params = parsePostgresUrl(url, env);
  } catch (e) {
    // the message never quotes the URL: it may carry a password
    throw new ConnectionStringError(`${source}: ${(e as Error).message}`);
  }
  return { kind: 'server', source, params, protected: false, label: describeServer(params) };
}

function fromNamed(n: NamedConnection, env: NodeJS.ProcessEnv): ResolvedConnection {
  let params: ServerParams;
  if (n.url) {
    try {
      params = parsePostgresUrl(n.url, env);
    } catch (e) {
      throw new ConnectionStringError(`connection '${n.name}': ${(e as Error).message}`);
    }
    // parts given next to the URL refine it
    params = {
      ...params,
      ...(n.host && { host: n.host }),
      ...(n.port && { port: n.port }),
      ...(n.database && { database: n.database }),
      ...(n.user && { user: n.user }),
      ...(n.sslmode && { sslmode: n.sslmode }),
    };
  } else {
    const user = n.user ?? env.PGUSER ?? env.USER ?? 'postgres';
    params = {
      host: n.host ?? env.PGHOST ?? 'localhost',
      port: n.port ?? (Number(env.PGPORT) || 5432),
      database: n.database ?? env.PGDATABASE ?? user,
      user,
      sslmode: n.sslmode ?? 'prefer',
    };
  }
  return {
    kind: 'server',
    source: 'named',
    name: n.name,
    params,
    protected: n.protected === true,
    label: `${n.name} (${describeServer(params)})`,
  };
}
