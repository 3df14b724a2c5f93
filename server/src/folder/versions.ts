/**
 * Choosing the version of a new migration so that it sorts right after a given one, in the shape
 * the folder already uses (timestamps, diesel dates, zero-padded sequences, Flyway dotted versions).
 */
import { compareVersions } from './format';
import type { Migration, MigrationFolder } from './model';

function pad(n: bigint, width: number): string {
  return n.toString().padStart(width, '0');
}

function plusSecond(ts: string): string {
  const d = new Date(
    Date.UTC(
      +ts.slice(0, 4),
      +ts.slice(4, 6) - 1,
      +ts.slice(6, 8),
      +ts.slice(8, 10),
      +ts.slice(10, 12),
      +ts.slice(12, 14),
    ) + 1000,
  );
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Versions in use, per migration list (fixes ask once per finding). */
const takenVersions = new WeakMap<Migration[], Set<string>>();

export function nextVersion(folder: MigrationFolder, after: Migration): string {
  let taken = takenVersions.get(folder.migrations);
  if (!taken) {
    taken = new Set(folder.migrations.map((m) => m.version));
    takenVersions.set(folder.migrations, taken);
  }
  const v = after.version;
  const free = (candidate: string) => !taken.has(candidate);
  if (/^\d{14}$/.test(v)) {
    let c = plusSecond(v);
    while (!free(c)) c = plusSecond(c);
    return c;
  }
  const diesel = /^(\d{4})-(\d{2})-(\d{2})-(\d{6})$/.exec(v);
  if (diesel) {
    const compact = `${diesel[1]}${diesel[2]}${diesel[3]}${diesel[4]}`;
    let c = plusSecond(compact);
    const fmt = (x: string) => `${x.slice(0, 4)}-${x.slice(4, 6)}-${x.slice(6, 8)}-${x.slice(8)}`;
    while (!free(fmt(c))) c = plusSecond(c);
    return fmt(c);
  }
  if (/^\d+$/.test(v)) {
    const width = v.length;
    let c = BigInt(v) + 1n;
    if (width >= 14) {
      while (!free(pad(c, width))) c++;
      return pad(c, width);
    }
    if (free(pad(c, width))) return pad(c, width);
    // the next number is taken: a sequence cannot squeeze in between, so append at the end
    const max = folder.migrations
      .map((m) => m.version)
      .filter((x) => /^\d+$/.test(x))
      .reduce((a, b) => (BigInt(b) > a ? BigInt(b) : a), 0n);
    return pad(max + 1n, width);
  }
  if (/^\d+([._]\d+)*$/.test(v)) {
    const sep = v.includes('_') ? '_' : '.';
    let n = 1;
    while (!free(`${v}${sep}${n}`)) n++;
    return `${v}${sep}${n}`;
  }
  // other shapes ending in digits (diesel's 2026-05-27-120000-0000): count the last group up
  const tail = /^(.*?)(\d+)$/.exec(v);
  if (tail) {
    let c = BigInt(tail[2]) + 1n;
    while (!free(`${tail[1]}${pad(c, tail[2].length)}`)) c++;
    return `${tail[1]}${pad(c, tail[2].length)}`;
  }
  let n = 1;
  while (!free(`${v}_${n}`)) n++;
  return `${v}_${n}`;
}

export function sortByVersion(ms: Migration[]): Migration[] {
  return ms.sort((a, b) => compareVersions(a.version, b.version));
}
