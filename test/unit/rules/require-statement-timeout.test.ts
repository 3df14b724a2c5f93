import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyEdits,
  applyToText,
  initParser,
  lintDir,
  lintText,
  only,
  preferred,
  writeFolder,
} from '../helpers/lint';
import { roundTripText } from './_textRoundTrip';

const RULE = 'require-statement-timeout';
const ON = { rules: { [RULE]: 'warning' as const } };
const hits = (sql: string) => only(lintText(sql, ON), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('is opt-in', () => {
    expect(only(lintText('CREATE INDEX i ON orders (x);'), RULE)).toHaveLength(0);
  });

  it('flags slow work under a lock that blocks traffic, naming the work and the lock', () => {
    const [v] = hits('CREATE INDEX i ON orders (x);');
    expect(v.message).toBe(
      'This statement builds an index on orders under a SHARE lock (blocking writes (reads continue)) with no statement_timeout set: on a large table it blocks traffic for as long as the work takes.',
    );
    expect(hits('ALTER TABLE users ALTER COLUMN email SET NOT NULL;')[0].message).toContain(
      'scans every row of users under an ACCESS EXCLUSIVE lock',
    );
  });

  it('accepts instant DDL, non-blocking slow work, new tables and a statement_timeout in force', () => {
    expect(hits('ALTER TABLE users ADD COLUMN a int;')).toHaveLength(0);
    expect(hits('CREATE INDEX CONCURRENTLY i ON orders (x);')).toHaveLength(0);
    expect(hits('ALTER TABLE users VALIDATE CONSTRAINT c;')).toHaveLength(0);
    expect(hits('CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);')).toHaveLength(0);
    expect(hits("SET statement_timeout = '30s';\nCREATE INDEX i ON orders (x);")).toHaveLength(0);
    expect(hits('SET statement_timeout = 0;\nCREATE INDEX i ON orders (x);')[0].message).toContain(
      'statement_timeout disabled',
    );
  });

  it('flags a non-blocking scan while an ACCESS EXCLUSIVE lock from earlier is held', () => {
    const sql =
      '-- UP\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE users VALIDATE CONSTRAINT c;\n-- DOWN\n';
    expect(hits(sql)[0].message).toContain('under an ACCESS EXCLUSIVE lock');
  });

  it('runner transaction: SET LOCAL at the section start; round trip is clean', () => {
    const sql =
      '-- UP\nCREATE INDEX i ON orders (x);\nALTER TABLE users ALTER COLUMN e SET NOT NULL;\n-- DOWN\n';
    expect(roundTripText(sql, RULE, ON)).toBe(
      "-- UP\nSET LOCAL statement_timeout = '5s';\nCREATE INDEX i ON orders (x);\nALTER TABLE users ALTER COLUMN e SET NOT NULL;\n-- DOWN\n",
    );
  });

  it('goose StatementBegin blocks: SET above the block, RESET below it', () => {
    const root = writeFolder({
      '001_t.sql': '-- +goose Up\nCREATE TABLE orders (x int, y int);\n',
      '002_c.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY j ON orders (y);\n-- +goose StatementBegin\nVACUUM FULL orders;\n-- +goose StatementEnd\n',
    });
    const [v] = only(lintDir(root, ON).violations, RULE);
    applyEdits(preferred(v).edits);
    expect(readFileSync(join(root, '002_c.sql'), 'utf8')).toBe(
      "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY j ON orders (y);\nSET statement_timeout = '5s';\n-- +goose StatementBegin\nVACUUM FULL orders;\n-- +goose StatementEnd\nRESET statement_timeout;\n",
    );
    expect(only(lintDir(root, ON).violations, RULE)).toHaveLength(0);
  });

  it('autocommit with a CONCURRENTLY statement: SET and RESET around the statement only', () => {
    const sql =
      '-- UP no-transaction\nCREATE INDEX CONCURRENTLY j ON orders (y);\nCLUSTER orders USING j;\n-- DOWN\n';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe(
      "-- UP no-transaction\nCREATE INDEX CONCURRENTLY j ON orders (y);\nSET statement_timeout = '5s';\nCLUSTER orders USING j;\nRESET statement_timeout;\n-- DOWN\n",
    );
    expect(only(lintText(fixed, ON), RULE)).toHaveLength(0);
  });
});
