import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyToText,
  initParser,
  lintDir,
  lintText,
  only,
  preferred,
  roundTripFolder,
  writeFolder,
} from '../helpers/lint';
import { applyEditGroups } from '../../../server/src/linter/applyEdits';
import { roundTripText } from './_textRoundTrip';

const RULE = 'adding-foreign-key-constraint';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);
const FK =
  'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);';
const INIT =
  '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint, user_id bigint);\n' +
  '-- +goose Down\nDROP TABLE orders;\nDROP TABLE users;\n';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD CONSTRAINT … FOREIGN KEY and ADD COLUMN … REFERENCES on an existing table', () => {
    const [v] = hits(FK);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding a foreign key on orders without NOT VALID checks every row while holding SHARE ROW EXCLUSIVE locks on orders and users: writes to both tables are blocked until the scan ends.',
    );
    expect(FK.slice(v.start, v.end)).toBe(
      'CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)',
    );
    expect(v.fixes.at(-1)?.title).toBe(`Disable ${RULE} for this statement`);
    const [col] = hits('ALTER TABLE orders ADD COLUMN owner bigint REFERENCES users (id);');
    expect(col.message).toContain('SHARE ROW EXCLUSIVE locks on orders and users');
  });

  it('exempts NOT VALID, tables created in the migration and other constraints', () => {
    expect(hits(FK.replace(';', ' NOT VALID;'))).toHaveLength(0);
    expect(hits(`CREATE TABLE orders (id bigint, user_id bigint);\n${FK}`)).toHaveLength(0);
    expect(hits('ALTER TABLE orders ADD CONSTRAINT c CHECK (id > 0);')).toHaveLength(0);
  });

  it('single file in autocommit: NOT VALID, then VALIDATE right after; round trip is clean', () => {
    const sql =
      'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;\n';
    const fixed = roundTripText(sql, RULE);
    expect(fixed).toBe(
      'ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;\n' +
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;\n',
    );
    // the same fix serves constraint-missing-not-valid
    expect(only(lintText(fixed), 'constraint-missing-not-valid')).toHaveLength(0);
  });

  it('column form: the reference moves to a NOT VALID table constraint', () => {
    const sql =
      'ALTER TABLE orders ADD COLUMN owner bigint NOT NULL DEFAULT 1 REFERENCES users (id)';
    expect(roundTripText(sql, RULE)).toBe(
      'ALTER TABLE orders ADD COLUMN owner bigint NOT NULL DEFAULT 1;\n' +
        'ALTER TABLE orders ADD CONSTRAINT orders_owner_fkey FOREIGN KEY (owner) REFERENCES users (id) NOT VALID;\n' +
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_owner_fkey;',
    );
  });

  it('goose folder: NOT VALID here, VALIDATE in a new migration; round trip is clean', () => {
    const root = writeFolder({
      '001_init.sql': INIT,
      '002_fk.sql': `-- +goose Up\n${FK}\n-- +goose Down\nALTER TABLE orders DROP CONSTRAINT orders_user_fk;\n`,
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_fk.sql'), 'utf8')).toContain(
      'REFERENCES users (id) NOT VALID;',
    );
    expect(readdirSync(root).sort()).toEqual(['001_init.sql', '002_fk.sql', '003_fk_validate.sql']);
    const follow = readFileSync(join(root, '003_fk_validate.sql'), 'utf8');
    expect(follow).toContain(
      '-- +goose Up\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
    );
    expect(follow).not.toContain('NO TRANSACTION');
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
  });

  it('two keys in one migration claim one follow-up file, never two with the same version', () => {
    const root = writeFolder({
      '001_init.sql': INIT,
      '002_fk.sql': `-- +goose Up\n${FK}\nALTER TABLE orders ADD FOREIGN KEY (id) REFERENCES users;\n-- +goose Down\n`,
    });
    const vs = only(lintDir(root).violations, RULE);
    const created = vs.map((v) => preferred(v).edits.find((e) => e.createFile)?.file);
    expect(created[0]).toBeDefined();
    expect(created[1]).toBe(created[0]);
    const r = applyEditGroups(
      vs.map((v) => preferred(v).edits),
      (f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined),
    );
    expect(r.applied).toBe(1);
  });

  it('inside a transaction without a folder (stdin): no split fix, only the ignore comment', () => {
    const [v] = hits(`-- UP\n${FK}\n`);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    expect(applyToText(`-- UP\n${FK}\n`, v.fixes[0].edits)).toContain(`-- pgmig-ignore ${RULE}\n`);
  });

  it('partitioned tables: no NOT VALID fix before PostgreSQL 18', () => {
    const root = writeFolder({
      '001_init.sql':
        '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint, user_id bigint) PARTITION BY RANGE (id);\n-- +goose Down\nDROP TABLE orders;\nDROP TABLE users;\n',
      '002_fk.sql': `-- +goose Up\n${FK}\n-- +goose Down\n`,
    });
    const [v17] = only(lintDir(root, { pgVersion: 17 }).violations, RULE);
    expect(v17.fixes.some((f) => f.preferred)).toBe(false);
    expect(v17.help).toContain('partitioned');
    const [v18] = only(lintDir(root, { pgVersion: 18 }).violations, RULE);
    expect(v18.fixes.some((f) => f.preferred)).toBe(true);
  });
});
