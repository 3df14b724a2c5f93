/** Undoing CREATE INDEX. */
import type { InvertContext } from './context';
import { ifItDidNotExist } from './context';
import { qname } from './sql';
import type { DownItem } from './types';

/** CREATE INDEX → DROP INDEX IF EXISTS, concurrently when the UP built it so. */
export function invertIndex(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const created = [...ctx.after().indexes.values()].filter(
    (i) => !ctx.before.indexes.has(`${i.schema}.${i.name}`),
  );
  const i = created[0];
  if (!i) return [];
  const concurrently = a.concurrent ? 'CONCURRENTLY ' : '';
  const drop = {
    sql: `DROP INDEX ${concurrently}IF EXISTS ${qname(i.schema, i.name)}`,
    noTransaction: !!a.concurrent,
  };
  if (a.if_not_exists && ctx.before.opaque)
    return [ifItDidNotExist(ctx, `index ${i.schema}.${i.name}`, drop)];
  return [drop];
}
