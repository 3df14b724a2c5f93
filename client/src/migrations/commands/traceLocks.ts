import { basename } from 'node:path';
import { TraceRequest } from '../../../../server/src/protocol/trace';
import { traceReport } from '../traceReport';
import { tracePlaceOf, traceTarget, withTraceProgress } from '../traceRequest';
import type { MigrationsContext } from './context';

/**
 * Measures what the migration's statements lock, rewrite and scan on a scratch database and
 * opens the report; the statements' hovers show the measurement until the file changes.
 */
export async function traceLocks(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  const t = traceTarget(arg, 'trace its locks');
  const direction = t.direction ?? 'up';
  const title = `Trace Locks (${direction.toUpperCase()}): ${basename(t.file)}`;
  const place = tracePlaceOf(ctx.connections);
  ctx.logs.client.info(`${title}: on ${place.label}`);
  const result = await withTraceProgress(ctx.runner, title, (traceId) =>
    ctx.runner.request(TraceRequest, {
      file: t.file,
      text: t.text,
      direction,
      traceId,
      connection: place.connection,
    }),
  );
  const statements = result.sections.reduce((n, s) => n + s.statements.length, 0);
  ctx.logs.client.info(
    `${title}: ${statements} statements traced on PostgreSQL ${result.server.version}${result.ok ? '' : ' (a statement failed)'}`,
  );
  await ctx.reports.show(`Trace ${result.migration.label} ${direction}`, traceReport(result));
}
