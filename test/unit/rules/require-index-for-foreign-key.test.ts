import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';
import { firstRealFix, roundTripFolderWith } from './_folderRoundTrip';

const RULE = 'require-index-for-foreign-key';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags a foreign key no index leads with (info), on CREATE TABLE and ALTER TABLE', () => {
    const sql =
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));';
    const [v] = hits(sql);
    expect(v.severity).toBe('info');
    expect(v.message).toBe(
      'No index on orders (user_id) backs this foreign key to users: every DELETE on users (and every update of its key) scans orders for referencing rows.',
    );
    expect(
      hits(
        'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES p (a, b) NOT VALID;',
      ),
    ).toHaveLength(1);
    expect(hits('ALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops;')).toHaveLength(1);
  });

  it('accepts an index leading with the columns (any order), or a PK / UNIQUE that does', () => {
    expect(
      hits(
        'CREATE TABLE o (user_id bigint REFERENCES users);\nCREATE INDEX o_u ON o (user_id, created_at);',
      ),
    ).toHaveLength(0);
    expect(
      hits(
        'CREATE TABLE o (a int, b int, FOREIGN KEY (a, b) REFERENCES p (x, y));\nCREATE INDEX o_ba ON o (b, a);',
      ),
    ).toHaveLength(0);
    expect(hits('CREATE TABLE o (user_id bigint PRIMARY KEY REFERENCES users);')).toHaveLength(0);
    expect(
      hits('CREATE TABLE o (a int, b int, UNIQUE (a, b), FOREIGN KEY (a) REFERENCES p);'),
    ).toHaveLength(0);
    // a trailing column, a partial index or an expression do not serve the lookup
    expect(
      hits(
        'CREATE TABLE o (user_id bigint REFERENCES users, t int);\nCREATE INDEX o_t ON o (t, user_id);',
      ),
    ).toHaveLength(1);
    expect(
      hits(
        'CREATE TABLE o (user_id bigint REFERENCES users);\nCREATE INDEX o_p ON o (user_id) WHERE user_id > 0;',
      ),
    ).toHaveLength(1);
  });

  it('counts an index created by a later migration of the folder, or one the model already knows', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint, user_id bigint);\nCREATE INDEX orders_user ON orders (user_id);\n-- DOWN\n',
      '002_fk.sql':
        '-- UP\nALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users NOT VALID;\nCREATE TABLE items (order_id bigint REFERENCES orders (id));\n-- DOWN\n',
      '003_idx.sql':
        '-- UP no-transaction\nCREATE INDEX CONCURRENTLY items_order ON items (order_id);\n-- DOWN\n',
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
  });

  it('after dynamic SQL the model cannot see indexes of existing tables: only new tables are judged', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint, user_id bigint);\n-- DOWN\n',
      '002_dyn.sql':
        "-- UP\nDO $$ BEGIN EXECUTE 'CREATE INDEX o_u ON orders (user_id)'; END $$;\n-- DOWN\n",
      '003_fk.sql':
        '-- UP\nALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users NOT VALID;\nCREATE TABLE items (user_id bigint REFERENCES users);\n-- DOWN\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs.map((v) => v.message.slice(0, 27))).toEqual(['No index on items (user_id)']);
  });

  it('new table: the offered fix adds CREATE INDEX right after (not preferred)', () => {
    const sql = 'CREATE TABLE app.orders (id bigint, "userId" bigint REFERENCES users (id));\n';
    const [v] = hits(sql);
    const fix = firstRealFix(v)!;
    expect(fix.preferred).toBeFalsy();
    const fixed = applyToText(sql, fix.edits);
    expect(fixed).toBe(
      'CREATE TABLE app.orders (id bigint, "userId" bigint REFERENCES users (id));\nCREATE INDEX "orders_userId_idx" ON app.orders ("userId");\n',
    );
    expect(hits(fixed)).toHaveLength(0);
    expect(only(lintText(fixed), 'syntax-error')).toHaveLength(0);
  });

  it('existing table in a runner transaction: CREATE INDEX CONCURRENTLY in a new non-transactional migration', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint, user_id bigint);\n-- DOWN\n',
      '002_fk.sql':
        '-- UP\nALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users NOT VALID;\n-- DOWN\n',
    });
    const after = roundTripFolderWith(root, RULE, firstRealFix);
    expect(readFileSync(join(root, '003_fk_fk_index.sql'), 'utf8')).toBe(
      '-- UP no-transaction\nCREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\n\n-- DOWN no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;\n',
    );
    expect(only(after, 'require-concurrent-index-creation')).toHaveLength(0);
  });
});
