/**
 * drizzle's `drizzle.__drizzle_migrations(id, hash, created_at)` (read only): created_at is the
 * journal entry's `when`; drizzle applies every journal entry newer than the latest row, so all
 * entries up to it count as applied. The hash is the sha256 of the file.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Migration } from '../../folder/model';
import { sha256Hex } from './checksums';
import { tableExists, type AppliedRow, type HistoryAdapter } from './types';

const TABLE = 'drizzle.__drizzle_migrations';

/** tag → when, from the folder's meta/_journal.json. */
const journals = new Map<string, Map<string, string>>();

function journalOf(dir: string): Map<string, string> {
  let j = journals.get(dir);
  if (!j) {
    j = new Map();
    try {
      const doc = JSON.parse(readFileSync(join(dir, 'meta/_journal.json'), 'utf8')) as {
        entries?: Array<{ tag?: string; when?: number }>;
      };
      for (const e of doc.entries ?? [])
        if (typeof e.tag === 'string' && typeof e.when === 'number') j.set(e.tag, String(e.when));
    } catch {
      // no journal: rows match nothing and show as missing files
    }
    journals.set(dir, j);
  }
  return j;
}

function keyOf(m: Migration): string {
  const f = m.files[0].path;
  return journalOf(dirname(f)).get(basename(f).replace(/\.sql$/, '')) ?? `tag:${m.label}`;
}

export const drizzleHistory: HistoryAdapter = {
  runner: 'drizzle',
  table: TABLE,
  writable: false,
  keyOf,
  exists: (c) => tableExists(c, TABLE),
  async read(c, migrations) {
    if (!(await tableExists(c, TABLE))) return [];
    journals.clear();
    const r = await c.query<{ hash: string; created_at: string }>(
      `SELECT hash, created_at::text AS created_at FROM ${TABLE} ORDER BY created_at`,
    );
    const latest = r.rows.length ? BigInt(r.rows[r.rows.length - 1].created_at) : -1n;
    const byWhen = new Map(r.rows.map((x) => [x.created_at, x]));
    const rows: AppliedRow[] = [];
    for (const m of migrations) {
      const key = keyOf(m);
      if (!/^\d+$/.test(key) || BigInt(key) > latest) continue;
      rows.push({
        key,
        version: m.version,
        appliedAt: new Date(Number(key)),
        checksum: byWhen.get(key)?.hash,
      });
      byWhen.delete(key);
    }
    for (const [when] of byWhen) rows.push({ key: when, version: when });
    return rows;
  },
  checksumOf: (m) => sha256Hex(m.files[0].text),
};
