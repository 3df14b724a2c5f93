/**
 * One real VS Code for a `describe` block: started before its tests, a screenshot of each test
 * that fails, and stopped after them with its timings and peak memory in the log.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startVSCode, type StartOptions, type VSCode } from './vscode';

/** Registers the hooks; `started` receives the running VS Code for the tests to use. */
export function useVSCode(opts: StartOptions, started: (vs: VSCode) => void): void {
  let vs: VSCode | undefined;

  beforeAll(async () => {
    vs = await startVSCode(opts);
    started(vs);
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await vs?.screenshot(`failed-${task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    if (!vs) return;
    await vs.screenshot('final').catch(() => undefined);
    await vs.stop();
    console.log('timings (ms since start):', JSON.stringify(vs.timings));
    console.log('peak PSS (MB):', JSON.stringify(vs.peakPssMB));
  });
}
