/**
 * The config reader (pgmig.json, .squawk.toml) on its own and through `pgmig lint`: where it is
 * found, precedence CLI > pgmig.json > .squawk.toml > defaults, and errors that name the file.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_KEYS,
  ConfigError,
  findConfigDir,
  loadSettings,
} from '../../../server/src/config/load';
import { DEFAULT_PG_VERSION } from '../../../server/src/config/settings';
import { RULES } from '../../../server/src/rules';
import { writeFolder } from '../helpers/lint';
import { CIC, cli } from './run';

const known = new Set(RULES.map((r) => r.id));
const GOOSE = {
  '001_idx.sql': '-- +goose Up\nCREATE INDEX i ON users (email);\n-- +goose Down\nDROP INDEX i;\n',
};

describe('loadSettings', () => {
  it('defaults without a config', () => {
    const root = writeFolder({ '.git/HEAD': '' });
    const r = loadSettings({ cwd: root });
    expect(r.configFile).toBeUndefined();
    expect(r.settings).toEqual({
      pgVersion: DEFAULT_PG_VERSION,
      rules: {},
      migrations: [],
      assumeInTransaction: false,
    });
  });

  it('precedence: overrides > pgmig.json > .squawk.toml > defaults, key by key', () => {
    const root = writeFolder({
      '.squawk.toml': `excluded_rules = ["${CIC}", "syntax-error"]\npg_version = "15.0"\nassume_in_transaction = true\n`,
    });
    const squawk = loadSettings({ cwd: root, knownRules: known });
    expect(squawk.settings).toMatchObject({
      pgVersion: 15,
      assumeInTransaction: true,
      rules: { [CIC]: 'off', 'syntax-error': 'off' },
    });
    writeFileSync(
      join(root, 'pgmig.json'),
      JSON.stringify({ pgVersion: 14, rules: { [CIC]: 'error' } }),
    );
    const both = loadSettings({ cwd: root, knownRules: known });
    expect(both.configFile).toBe(join(root, 'pgmig.json'));
    expect(both.squawkFile).toBe(join(root, '.squawk.toml'));
    expect(both.settings).toMatchObject({
      pgVersion: 14,
      assumeInTransaction: true,
      rules: { [CIC]: 'error', 'syntax-error': 'off' },
    });
    const cli = loadSettings({
      cwd: root,
      overrides: { pgVersion: 12, assumeInTransaction: false, rules: { [CIC]: 'hint' } },
    });
    expect(cli.settings).toMatchObject({
      pgVersion: 12,
      assumeInTransaction: false,
      rules: { [CIC]: 'hint', 'syntax-error': 'off' },
    });
  });

  it('is found from a subfolder upwards, and not above a directory holding .git', () => {
    const root = writeFolder({
      'pgmig.json': '{"pgVersion": 13}',
      'repo/.git/HEAD': '',
      'repo/db/migrations/001.sql': '',
      'other/db/x.sql': '',
    });
    expect(findConfigDir(join(root, 'other/db'))).toBe(root);
    expect(loadSettings({ cwd: join(root, 'other/db') }).settings.pgVersion).toBe(13);
    expect(findConfigDir(join(root, 'repo/db/migrations'))).toBeUndefined();
    writeFileSync(join(root, 'repo/pgmig.json'), '{"pgVersion": 17}');
    expect(loadSettings({ cwd: join(root, 'repo/db/migrations') }).settings.pgVersion).toBe(17);
  });

  it('migrations are resolved relative to the config file', () => {
    const root = writeFolder({ 'pgmig.json': '{"migrations": ["db/migrations", "../x"]}' });
    mkdirSync(join(root, 'sub'));
    const r = loadSettings({ cwd: join(root, 'sub') });
    expect(r.settings.migrations).toEqual([join(root, 'db/migrations'), join(root, '../x')]);
  });

  it('unknown rule ids are warnings; everything else wrong is a ConfigError naming the file', () => {
    const root = writeFolder({});
    const file = join(root, 'pgmig.json');
    const load = (text: string) => {
      writeFileSync(file, text);
      return loadSettings({ cwd: root, knownRules: known });
    };
    expect(load('{"rules": {"no-such-rule": "off"}}').warnings).toEqual([
      `${file}: unknown rule "no-such-rule"`,
    ]);
    const bad: Array<[string, RegExp]> = [
      ['{ "pgVersion": 16,, }', /invalid JSON/],
      ['[]', /expected a JSON object/],
      ['{"pgversion": 16}', /unknown key "pgversion"/],
      ['{"pgVersion": "16"}', /pgVersion must be/],
      ['{"pgVersion": 16.5}', /pgVersion must be/],
      ['{"rules": []}', /rules must be an object/],
      [`{"rules": {"${CIC}": "warn"}}`, new RegExp(`rules\\.${CIC} must be one of`)],
      ['{"migrations": "db"}', /migrations must be an array/],
      ['{"format": "rails"}', /format must be one of/],
      ['{"assumeInTransaction": "yes"}', /assumeInTransaction must be true or false/],
    ];
    for (const [text, message] of bad) {
      expect(() => load(text), text).toThrow(ConfigError);
      expect(() => load(text), text).toThrow(message);
      expect(() => load(text), text).toThrow(file);
    }
  });

  it('.squawk.toml: squawk-only keys are accepted, unknown keys and bad values are errors', () => {
    const root = writeFolder({});
    const file = join(root, '.squawk.toml');
    const load = (text: string) => {
      writeFileSync(file, text);
      return loadSettings({ cwd: root, knownRules: known });
    };
    const ok = load(
      'excluded_paths = ["x.sql"]\nincluded_rules = []\npg_version = "16"\nexcluded_rules = ["unused-ignore"]\n[upload_to_github]\nfail_on_violations = true\n',
    );
    expect(ok.settings.pgVersion).toBe(16);
    expect(ok.warnings).toEqual([`${file}: unknown rule "unused-ignore"`]);
    const bad: Array<[string, RegExp]> = [
      ['excluded_rules = [', /invalid TOML/],
      ['exclude_rules = []', /unknown key "exclude_rules"/],
      ['excluded_rules = "x"', /excluded_rules must be an array/],
      ['pg_version = "fifteen"', /pg_version must be/],
      ['assume_in_transaction = "true"', /assume_in_transaction must be true or false/],
    ];
    for (const [text, message] of bad) {
      expect(() => load(text), text).toThrow(message);
      expect(() => load(text), text).toThrow(file);
    }
  });

  it('an explicit config: pgmig.json, or a .toml read as squawk config; missing or unreadable is an error', () => {
    const root = writeFolder({
      'conf/custom.json': '{"pgVersion": 12}',
      'conf/squawk.toml': 'pg_version = "11.2"',
    });
    expect(loadSettings({ cwd: root, configPath: 'conf/custom.json' }).settings.pgVersion).toBe(12);
    expect(loadSettings({ cwd: root, configPath: 'conf/squawk.toml' }).settings.pgVersion).toBe(11);
    expect(() => loadSettings({ cwd: root, configPath: 'nope.json' })).toThrow(
      'config file not found: nope.json',
    );
    expect(() => loadSettings({ cwd: root, configPath: 'conf' })).toThrow(/conf: cannot read/);
  });
});

describe('the schema and the reader agree', () => {
  const schema = JSON.parse(
    readFileSync(join(__dirname, '../../../schemas/pgmig.schema.json'), 'utf8'),
  );

  it('top-level keys are exactly those the reader accepts', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it('rule ids are exactly the registry, with the settings the reader accepts', () => {
    expect([...schema.properties.rules.propertyNames.enum].sort()).toEqual([...known].sort());
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual([...known].sort());
    expect(schema.properties.rules.additionalProperties.enum.sort()).toEqual(
      ['off', 'error', 'warning', 'info', 'hint'].sort(),
    );
  });
});

describe('config through pgmig lint', () => {
  it('pgmig.json beats .squawk.toml, and the command line beats both', async () => {
    const root = writeFolder(GOOSE);
    const rules = async (...a: string[]) =>
      (
        JSON.parse(
          (await cli(['lint', '.', '--format', 'json', ...a], { cwd: root })).stdout,
        ) as Array<{ rule: string; severity: string }>
      )
        .filter((f) => f.rule === CIC)
        .map((f) => f.severity);
    expect(await rules()).toEqual(['warning']);
    writeFileSync(join(root, '.squawk.toml'), `excluded_rules = ["${CIC}"]\n`);
    expect(await rules()).toEqual([]);
    writeFileSync(join(root, 'pgmig.json'), JSON.stringify({ rules: { [CIC]: 'error' } }));
    expect(await rules()).toEqual(['error']);
    const r = await cli(['lint', '.', '--rule', CIC], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`error ${CIC}`);
    expect(await rules('--exclude', CIC)).toEqual([]);
    // --config replaces the pgmig.json found upwards
    const other = writeFolder({ 'p.json': JSON.stringify({ rules: { [CIC]: 'info' } }) });
    expect(await rules('--config', join(other, 'p.json'))).toEqual(['info']);
  });

  it('the config is searched from the first path, not only the working directory', async () => {
    const root = writeFolder({
      'proj/.git/HEAD': '',
      'proj/pgmig.json': JSON.stringify({ rules: { [CIC]: 'error' } }),
      'proj/db/001_idx.sql': GOOSE['001_idx.sql'],
    });
    const r = await cli(['lint', 'proj/db', '--rule', CIC], { cwd: root });
    expect(r.stdout).toContain(`proj/db/001_idx.sql:2:1: error ${CIC}`);
  });

  it('a bad config is exit 2 with the file and the problem on stderr, never a crash', async () => {
    const root = writeFolder(GOOSE);
    const cases: Array<[string, string, RegExp]> = [
      ['pgmig.json', '{ "pgVersion": "sixteen" }', /pgmig\.json: pgVersion must be/],
      ['pgmig.json', '{ "rules": ', /pgmig\.json: invalid JSON/],
      ['pgmig.json', '{ "color": true }', /pgmig\.json: unknown key "color"/],
      ['.squawk.toml', 'pg_version = ', /\.squawk\.toml: invalid TOML/],
    ];
    for (const [name, text, message] of cases) {
      const dir = writeFolder(GOOSE);
      writeFileSync(join(dir, name), text);
      const r = await cli(['lint', '.'], { cwd: dir });
      expect(r.code, text).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain(join(dir, name));
    }
    const missing = await cli(['lint', '.', '--config', 'nope.json'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/config file not found: \S*nope\.json/);
    const dir = await cli(['lint', '.', '--config', '.'], { cwd: root });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('cannot read');
  });

  it('an unknown rule id in the config is a warning on stderr; linting goes on', async () => {
    const root = writeFolder({
      ...GOOSE,
      'pgmig.json': JSON.stringify({ rules: { 'no-such-rule': 'off' } }),
    });
    const r = await cli(['lint', '.', '--rule', CIC], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `pgmig: warning: ${join(root, 'pgmig.json')}: unknown rule "no-such-rule"`,
    );
    expect(r.stdout).toContain(CIC);
  });
});
