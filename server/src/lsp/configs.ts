/**
 * pgmig.json (and .squawk.toml) through the same reader as the command line, cached per folder
 * until a config file changes. A config that cannot be read is reported on the config file
 * itself, and its folders are linted with the defaults meanwhile.
 */
import { join } from 'node:path';
import {
  CONFIG_FILE,
  ConfigError,
  findConfigDir,
  loadSettings,
  SQUAWK_FILE,
  type LoadedSettings,
} from '../config/load';
import { defaultSettings } from '../config/settings';
import { RULES } from '../rules';
import type { Log } from './guard';

export interface ConfigResult {
  loaded: LoadedSettings;
  /** Why the config was not used, and which file says it. */
  error?: { file: string; message: string };
}

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

export class ConfigCache {
  private readonly byDir = new Map<string, ConfigResult>();
  private readonly warned = new Set<string>();

  constructor(private readonly log: Log) {}

  /** Settings for files in `dir`: the nearest pgmig.json / .squawk.toml above it. */
  forDir(dir: string): ConfigResult {
    let r = this.byDir.get(dir);
    if (!r) {
      r = this.load(dir);
      this.byDir.set(dir, r);
    }
    return r;
  }

  /** Every config error met so far (file → message). */
  errors(): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.byDir.values()) if (r.error) out.set(r.error.file, r.error.message);
    return out;
  }

  clear(): void {
    this.byDir.clear();
  }

  private load(dir: string): ConfigResult {
    try {
      const loaded = loadSettings({ cwd: dir, knownRules: KNOWN_RULES });
      for (const w of loaded.warnings) {
        if (this.warned.has(w)) continue;
        this.warned.add(w);
        this.log.warn(w);
      }
      return { loaded };
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const configDir = findConfigDir(dir) ?? dir;
      const candidates = [join(configDir, CONFIG_FILE), join(configDir, SQUAWK_FILE)];
      const file = candidates.find((f) => e.message.startsWith(`${f}:`)) ?? candidates[0];
      const message = e.message.startsWith(`${file}: `)
        ? e.message.slice(file.length + 2)
        : e.message;
      if (!this.warned.has(e.message)) {
        this.warned.add(e.message);
        this.log.error(`${e.message} (linting with the default settings until it is fixed)`);
      }
      return {
        loaded: { settings: defaultSettings(), baseDir: configDir, warnings: [] },
        error: { file, message },
      };
    }
  }
}
