/**
 * Starts a real VS Code: code-server (VS Code 1.100's server and web workbench) with the extension
 * installed, opened on a copy of a fixture workspace, shown in Debian's Chromium through
 * playwright-core. Nothing is downloaded at test time.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { CHROME, CODE_SERVER, OUTPUT, ROOT, checkProvisioned } from './paths';
import { freePort, killGroup, processTree, pssMB, waitForHttp } from './processes';

export interface StartOptions {
  /** Used for log folders and screenshot names. */
  name: string;
  /** 'vsix': `code-server --install-extension` (what users get); 'devpath': run from the repo. */
  install: 'vsix' | 'devpath';
  vsix?: string;
  /** Extension folders for 'devpath' (default: the repo root). */
  extensionPaths?: string[];
  /** Fixture folder copied to a temp workspace; or `folder` to open as is; neither: empty window. */
  workspaceFixture?: string;
  folder?: string;
  /** Workspace-relative file to open on start. */
  openFile?: string;
  /** Test runner module run inside the extension host (VS Code's extensionTestsPath). */
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  settings?: Record<string, unknown>;
  onConsole?: (msg: ConsoleMessage) => void;
}

export interface VSCode {
  page: Page;
  browser: Browser;
  /** The workspace folder on disk (a temp copy of the fixture), if any. */
  workspace: string | undefined;
  /** Resolves with the exit code the extension tests report. */
  testsExited: Promise<number>;
  timings: Record<string, number>;
  peakPssMB: { server: number; browser: number };
  /** Text of an extension's log channel as VS Code writes it to disk (`<publisher.name>/<channel>.log`). */
  channelLog(extensionId: string, channel: string): string;
  mark(step: string): void;
  screenshot(step: string): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  // Screenshots and text assertions need predictable editors.
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
};

export async function startVSCode(opts: StartOptions): Promise<VSCode> {
  checkProvisioned();
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (step: string) => {
    timings[step] = Date.now() - t0;
  };
  const tmp = mkdtempSync(join(tmpdir(), 'pgmig-e2e-'));
  let workspace: string | undefined;
  if (opts.folder) workspace = resolve(opts.folder);
  else if (opts.workspaceFixture) {
    workspace = join(tmp, 'workspace');
    cpSync(opts.workspaceFixture, workspace, { recursive: true });
  }
  const userData = opts.userDataDir ? resolve(opts.userDataDir) : join(tmp, 'user-data');
  const extensions = opts.extensionsDir ? resolve(opts.extensionsDir) : join(tmp, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2),
  );

  // XDG dirs keep code-server's config, VS Code's device id and Chromium's crash dir out of $HOME;
  // an empty gallery keeps VS Code from calling a marketplace that is unreachable here.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    EXTENSIONS_GALLERY: '{}',
  };
  const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (opts.install === 'vsix') {
    if (!opts.vsix) throw new Error('install: vsix needs opts.vsix');
    const r = spawnSync(CODE_SERVER, [...dirs, '--install-extension', opts.vsix], {
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`--install-extension failed:\n${r.stdout}\n${r.stderr}`);
    mark('installed');
  }

  const port = await freePort();
  const logFile = join(tmp, 'code-server.log');
  const log = openSync(logFile, 'w');
  const server = spawn(
    CODE_SERVER,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...dirs,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--log',
      'info',
    ],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  const serverExited = new Promise((r) => server.once('exit', r));
  // Never leak a VS Code server, even when the test process dies without calling stop().
  const killNow = () => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killNow);

  let browser: Browser | undefined;
  const peakPssMB = { server: 0, browser: 0 };
  let sampler: NodeJS.Timeout | undefined;
  const sample = () => {
    if (!server.pid) return;
    const serverPids = processTree(server.pid);
    const browserPids = processTree(process.pid).filter(
      (p) => p !== process.pid && !serverPids.includes(p),
    );
    peakPssMB.server = Math.max(peakPssMB.server, pssMB(serverPids));
    peakPssMB.browser = Math.max(peakPssMB.browser, pssMB(browserPids));
  };

  const stop = async () => {
    if (sampler) clearInterval(sampler);
    sample();
    await browser?.close().catch(() => undefined);
    if (server.pid && server.exitCode === null) await killGroup(server.pid, serverExited);
    process.removeListener('exit', killNow);
    mark('stopped');
    keepLogs(opts.name, logFile, userData);
    if (!process.env.E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
  };

  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000);
    mark('serverReady');
    browser = await chromium.launch({
      executablePath: CHROME,
      headless: !process.env.E2E_HEADED,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Docker's 64 MB /dev/shm crashes Chromium otherwise.
        '--disable-dev-shm-usage',
      ],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: env.XDG_CONFIG_HOME,
        XDG_CACHE_HOME: env.XDG_CACHE_HOME,
      },
    });
    mark('browserLaunched');
    sampler = setInterval(sample, 500);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    if (opts.onConsole) page.on('console', opts.onConsole);

    // code-server takes VS Code's development and test options through the URL payload only;
    // the authority must equal the page's host:port.
    const authority = `127.0.0.1:${port}`;
    const remote = (p: string) => `vscode-remote://${authority}${p}`;
    const payload: [string, string][] = [
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    if (opts.install === 'devpath') {
      for (const p of opts.extensionPaths ?? [ROOT])
        payload.push(['extensionDevelopmentPath', remote(resolve(p))]);
    }
    if (opts.extensionTestsPath)
      payload.push(['extensionTestsPath', remote(resolve(opts.extensionTestsPath))]);
    if (opts.openFile && workspace)
      payload.push(['openFile', remote(resolve(workspace, opts.openFile))]);

    let reportExit: (code: number) => void = () => undefined;
    const testsExited = new Promise<number>((r) => (reportExit = r));
    // The workbench calls window.codeAutomationExit(code) when extension tests finish.
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    const where = workspace ? `folder=${encodeURIComponent(workspace)}` : 'ew=true';
    await page.goto(
      `http://${authority}/?${where}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    mark('workbenchVisible');
    if (opts.openFile && workspace) {
      // Until the file's editor has opened, it takes focus and closes anything a test opens.
      const name = opts.openFile.split('/').pop() ?? opts.openFile;
      await page
        .locator('.tabs-container .tab.active', { hasText: name })
        .waitFor({ timeout: 60_000 });
      await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
      mark('fileOpen');
    }

    const screenshot = async (step: string) => {
      mkdirSync(OUTPUT, { recursive: true });
      const file = join(OUTPUT, `${opts.name}-${step}.png`);
      await page.screenshot({ path: file });
      return file;
    };
    const channelLog = (extensionId: string, channel: string) => {
      const file = findFile(join(userData, 'logs'), join(extensionId, `${channel}.log`));
      return file ? readFileSync(file, 'utf8') : '';
    };
    return {
      page,
      browser,
      workspace,
      testsExited,
      timings,
      peakPssMB,
      channelLog,
      mark,
      screenshot,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function findFile(dir: string, suffix: string): string | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findFile(path, suffix);
      if (found) return found;
    } else if (path.endsWith(suffix)) return path;
  }
  return undefined;
}

/** Keeps code-server's and the window's logs (pgmig's output channels among them) per run. */
function keepLogs(name: string, serverLog: string, userData: string): void {
  const dest = join(OUTPUT, 'logs', name);
  try {
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    cpSync(serverLog, join(dest, 'code-server.log'));
    cpSync(join(userData, 'logs'), join(dest, 'vscode'), { recursive: true });
  } catch {
    // a run that failed before VS Code wrote logs
  }
}
