/** Keys that history rows and migrations share, per runner's own notion of identity. */
import { basename } from 'node:path';
import type { Migration } from '../../folder/model';

/** A decimal version as the integer the runner stores (goose, golang-migrate: 001 is 1). */
export function integerKey(version: string): string {
  return /^\d+$/.test(version) ? BigInt(version).toString() : version;
}

/** The migration's first file name without its extension (node-pg-migrate's `name`). */
export function stemOf(m: Migration): string {
  return basename(m.files[0].path).replace(/\.[^.]*$/, '');
}

/** The migration before `m` in runner order. */
export function previousOf(m: Migration, migrations: readonly Migration[]): Migration | undefined {
  const i = migrations.indexOf(m);
  return i > 0 ? migrations[i - 1] : undefined;
}
