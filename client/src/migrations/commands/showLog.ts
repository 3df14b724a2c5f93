import type { MigrationsContext } from './context';

export function showLog(ctx: MigrationsContext): void {
  ctx.log.channel.show(true);
}
