/**
 * Warms the JavaScript engine up while the client waits for `initialize`: the first lint of a
 * large file otherwise runs unoptimised code and takes several times longer than the next ones.
 * A built-in migration with the common statement kinds is parsed, linted and turned into
 * diagnostics until the time budget is spent.
 */
import { loadSingleFile } from '../folder/load';
import { lintMigration } from '../linter/lint';
import { LintJournal } from '../linter/journal';
import { defaultSettings } from '../config/settings';
import { IncrementalParser } from '../parser/incremental';
import { withSectionParser } from '../parser/parse';
import { Catalog } from '../schema/catalog';
import { toDiagnostic, type DiagnosticContext } from './diagnostics';

const SAMPLE = [
  'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, created_at timestamptz DEFAULT now())',
  'CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric(12,2))',
  'CREATE INDEX orders_user_id_idx ON orders (user_id)',
  'CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email)',
  'ALTER TABLE users ADD COLUMN name varchar(100)',
  "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active'",
  'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()',
  'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0)',
  'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
  'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk',
  'ALTER TABLE users ALTER COLUMN name TYPE text',
  'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
  'ALTER TABLE users ALTER COLUMN email DROP NOT NULL',
  'ALTER TABLE users RENAME COLUMN name TO full_name',
  'ALTER TABLE orders RENAME TO purchases',
  'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)',
  "CREATE TYPE mood AS ENUM ('sad', 'ok')",
  "ALTER TYPE mood ADD VALUE 'happy'",
  "UPDATE users SET status = 'active' WHERE status IS NULL",
  "INSERT INTO users (email) VALUES ('a@example.com')",
  'DELETE FROM purchases WHERE total < 0',
  "SET lock_timeout = '2s'",
  'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$',
  'CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()',
  'CREATE VIEW active_users AS SELECT * FROM users WHERE status = $$active$$',
  'DROP INDEX orders_user_id_idx',
  'ALTER TABLE users DROP COLUMN token',
  'REINDEX TABLE users',
  'TRUNCATE purchases CASCADE',
  'DROP TABLE purchases',
  'SELEC 1',
];

export function warmUp(budgetMs: number): number {
  const started = performance.now();
  const parser = new IncrementalParser();
  const body = Array.from({ length: 8 }, () => SAMPLE.map((s) => `${s};`).join('\n')).join('\n');
  const text = `-- +goose Up\n${body}\n-- +goose Down\nDROP TABLE users;\n`;
  const ctx: DiagnosticContext = {
    docsBaseUrl: 'https://example.invalid/',
    file: () => undefined,
    uriOf: (p) => `file://${p}`,
    versionOf: () => 1,
    unreadable: () => false,
  };
  let rounds = 0;
  let current = text;
  // edits are linted with what the previous lint kept: warm that path up too, with a full
  // lint every few rounds
  let journal = new LintJournal();
  const settings = defaultSettings();
  while (performance.now() - started < budgetMs) {
    // alternate two versions so the incremental path is exercised too
    current = rounds % 2 === 0 ? text : text.replace('varchar(100)', 'varchar(120)');
    if (rounds % 4 === 0) journal = new LintJournal();
    const m = withSectionParser(parser.parse, () =>
      loadSingleFile('/pgmig-warmup/0001_warmup.sql', current),
    );
    const violations = lintMigration(m, new Catalog(), { settings, journal });
    const file = m.files[0];
    JSON.stringify(violations.map((v) => toDiagnostic(v, file, ctx)));
    rounds++;
  }
  return rounds;
}
