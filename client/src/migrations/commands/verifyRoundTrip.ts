import { basename } from 'node:path';
import * as vscode from 'vscode';
import { VerifyRequest } from '../../../../server/src/protocol/trace';
import { verifyReport } from '../traceReport';
import { tracePlaceOf, traceTarget, withTraceProgress } from '../traceRequest';
import type { MigrationsContext } from './context';

const SHOW_REPORT = 'Show Report';

/**
 * Applies UP, DOWN and UP again on a scratch database and compares the schema each time; what
 * DOWN fails to restore appears as diagnostics on the DOWN section (published by the server).
 */
export async function verifyRoundTrip(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  const t = traceTarget(arg, 'verify its round trip');
  const title = `Verify Round Trip: ${basename(t.file)}`;
  const place = tracePlaceOf(ctx.connections);
  ctx.logs.client.info(`${title}: on ${place.label}`);
  const result = await withTraceProgress(ctx.runner, title, (traceId) =>
    ctx.runner.request(VerifyRequest, {
      path: t.file,
      text: t.text,
      traceId,
      connection: place.connection,
    }),
  );
  const findings = result.diagnostics.reduce((n, f) => n + f.diagnostics.length, 0);
  ctx.logs.client.info(`${title}: ${result.ok ? 'restored' : `${findings} findings`}`);
  const report = verifyReport(result);
  const show = () => ctx.reports.show(`Verify ${basename(t.file)}`, report);
  const message = result.ok
    ? `pgmig: DOWN restores the schema and UP applies again (${basename(t.file)}).`
    : `pgmig: the round trip of ${basename(t.file)} has ${findings} problem${findings === 1 ? '' : 's'} (see Problems).`;
  // the command ends here; the report opens if asked for
  void (
    result.ok
      ? vscode.window.showInformationMessage(message, SHOW_REPORT)
      : vscode.window.showWarningMessage(message, SHOW_REPORT)
  ).then(async (choice) => {
    if (choice === SHOW_REPORT) await show();
  });
}
