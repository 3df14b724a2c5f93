// Writes schemas/pgmig.schema.json from the rule files (file name = rule id) and the format ids,
// so the schema cannot drift from the registry (test/unit/manifest.test.ts checks both).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const rules = readdirSync('server/src/rules')
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const model = readFileSync('server/src/folder/model.ts', 'utf8');
const formats = [
  ...model.slice(model.indexOf('FORMAT_IDS'), model.indexOf('] as const')).matchAll(/'([a-z-]+)'/g),
].map((m) => m[1]);

const severity = { enum: ['off', 'error', 'warning', 'info', 'hint'] };
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/pgmig/pgmig/blob/main/schemas/pgmig.schema.json',
  title: 'pgmig configuration',
  description:
    'pgmig.json at the workspace root, read by the pgmig command line and language server.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    pgVersion: {
      type: 'integer',
      minimum: 9,
      maximum: 30,
      default: 16,
      description: 'Target PostgreSQL major version; every version-dependent verdict follows it.',
    },
    rules: {
      type: 'object',
      description:
        'Per-rule setting: off, or the severity to report it with. Opt-in rules are enabled by naming them.',
      propertyNames: { enum: rules },
      additionalProperties: severity,
      properties: Object.fromEntries(
        rules.map((r) => [
          r,
          {
            ...severity,
            markdownDescription: `[${r}](https://github.com/pgmig/pgmig/blob/main/docs/rules/${r}.md)`,
          },
        ]),
      ),
    },
    migrations: {
      type: 'array',
      items: { type: 'string' },
      description: 'Migration folders, relative to this file.',
    },
    migrationGlobs: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Glob patterns, relative to this file, of the migration files the language server lints (e.g. "db/migrations/*.sql"). Unset: the migrations folders, and folders whose runner layout is detected.',
    },
    format: {
      enum: formats,
      description: 'Force the migration format instead of detecting it.',
    },
    assumeInTransaction: {
      type: 'boolean',
      default: false,
      description: 'Treat files of an unknown layout as running inside a transaction.',
    },
    runner: {
      type: 'object',
      additionalProperties: false,
      description: 'How pgmig up/down/redo run migrations.',
      properties: {
        lockTimeout: {
          type: ['string', 'number'],
          default: '5s',
          description: 'Session lock_timeout while migrating ("5s", "500ms", or milliseconds).',
        },
        lockRetries: {
          type: 'integer',
          minimum: 0,
          default: 3,
          description: 'How often a migration that hit the lock timeout is tried again.',
        },
        retryBackoff: {
          type: ['string', 'number'],
          default: '500ms',
          description: 'First delay before a retry; it doubles each time.',
        },
        lockWait: {
          type: ['string', 'number'],
          default: '10min',
          description: "How long to wait for another run's migration lock.",
        },
        sideTable: {
          type: 'boolean',
          default: true,
          description:
            'Keep pgmig_history next to the runner history (content hashes for "changed since applied", durations, failed state).',
        },
      },
    },
    connections: {
      type: 'object',
      description:
        'Named connections for --db <name>. Never a password: use PGPASSWORD or ~/.pgpass (the editor asks and keeps it in its secret storage).',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          url: { type: 'string', description: 'postgres://user@host:port/database?sslmode=…' },
          host: { type: 'string' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          database: { type: 'string' },
          user: { type: 'string' },
          sslmode: { enum: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] },
          protected: {
            type: 'boolean',
            description: 'A production database: DOWN needs a confirmation naming it.',
          },
        },
      },
    },
  },
};
writeFileSync('schemas/pgmig.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
