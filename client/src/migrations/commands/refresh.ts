import { isNode } from '../targets';
import type { MigrationsContext } from './context';

/** Reads the folders and every shown status again (a connection id or node: that one only). */
export function refresh(ctx: MigrationsContext, arg?: unknown): void {
  ctx.passwords.allowPrompts();
  const conn = isNode(arg)
    ? arg.conn
    : typeof arg === 'string'
      ? ctx.connections.byId(arg)
      : undefined;
  if (!conn) ctx.folders.invalidate();
  ctx.model.invalidate(conn);
}
