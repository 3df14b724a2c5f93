/**
 * A stand-in "VS Code executable" for @vscode/test-electron. It reads the arguments test-electron
 * passes, runs the extension tests in code-server's Node extension host (shown in headless
 * Chromium), relays the extension host's console, and exits with the tests' exit code.
 */
import { format } from 'node:util';
import type { ConsoleMessage } from 'playwright-core';
import { startVSCode } from '../harness/vscode';

interface Args {
  dev: string[];
  tests?: string;
  userData?: string;
  extensions?: string;
  open: string[];
}

/** Flags desktop VS Code needs and code-server has no use for. */
const IGNORED = new Set([
  'no-sandbox',
  'disable-gpu-sandbox',
  'disable-updates',
  'skip-welcome',
  'skip-release-notes',
  'disable-workspace-trust',
  'disable-gpu',
  'disable-extensions',
  'new-window',
]);

function parse(argv: string[]): Args {
  const args: Args = { dev: [], open: [] };
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
      args.open.push(argv[i]);
      continue;
    }
    const value = () => m[2] ?? argv[++i];
    switch (m[1]) {
      case 'extensionDevelopmentPath':
        args.dev.push(value());
        break;
      case 'extensionTestsPath':
        args.tests = value();
        break;
      case 'user-data-dir':
        args.userData = value();
        break;
      case 'extensions-dir':
        args.extensions = value();
        break;
      default:
        if (!IGNORED.has(m[1])) unknown.push(argv[i]);
    }
  }
  if (unknown.length) console.error(`[code-shim] ignoring ${unknown.join(' ')}`);
  return args;
}

// The extension host's console reaches the page as console.log('%c INFO', 'color: …', fmt, …args);
// the workbench's own chatter is dropped.
const NOISE =
  /^(Creation of workbench contribution|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|ChatSessionStore:|Started local extension host|Overwriting extension <<|Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\])/;
let relay: Promise<void> = Promise.resolve();

function onConsole(msg: ConsoleMessage): void {
  const level = /^%c\s*(INFO|WARN|ERR|DEBUG|TRACE)\b/.exec(msg.text())?.[1];
  if (!level) return;
  const handles = msg.args().slice(2);
  relay = relay.then(async () => {
    const values = await Promise.all(
      handles.map((h) => h.jsonValue().catch(() => '[unserializable]')),
    );
    const line = typeof values[0] === 'string' ? format(...values) : values.map(String).join(' ');
    if (NOISE.test(line)) return;
    (level === 'INFO' ? process.stdout : process.stderr).write(`${line}\n`);
  });
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (!args.tests) {
    console.error('[code-shim] no --extensionTestsPath: nothing to run');
    return 2;
  }
  // While starting, exit at once: the harness's exit hook kills the server started so far.
  const exitNow = () => process.exit(130);
  process.once('SIGINT', exitNow);
  process.once('SIGTERM', exitNow);
  const vs = await startVSCode({
    name: 'exthost',
    install: 'devpath',
    extensionPaths: args.dev.length ? args.dev : undefined,
    extensionTestsPath: args.tests,
    userDataDir: args.userData,
    extensionsDir: args.extensions,
    folder: args.open[0],
    onConsole,
  });
  process.removeListener('SIGINT', exitNow);
  process.removeListener('SIGTERM', exitNow);
  // test-electron sends SIGINT on Ctrl+C: close the browser and the server, then exit.
  const stopOnSignal = () => void vs.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const limit = Number(process.env.CODE_SHIM_TIMEOUT_MS ?? 300_000);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    vs.testsExited,
    new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limit))),
  ]);
  clearTimeout(timer);
  if (code === 'timeout')
    console.error(`[code-shim] the tests reported no result within ${limit} ms`);
  await relay;
  await vs.stop();
  console.log(`[code-shim] timings (ms): ${JSON.stringify(vs.timings)}`);
  return code === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[code-shim]', err);
    process.exit(1);
  },
);
