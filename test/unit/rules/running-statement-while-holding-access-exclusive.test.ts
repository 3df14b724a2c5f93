import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';
import { firstRealFix, roundTripFolderWith } from './_folderRoundTrip';

const RULE = 'running-statement-while-holding-access-exclusive';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags slow work on another table after an ACCESS EXCLUSIVE lock in the same transaction', () => {
    const sql =
      '-- UP\nALTER TABLE users ADD COLUMN a int;\nCREATE INDEX orders_x ON orders (x);\n-- DOWN\n';
    const [v] = hits(sql);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'This statement builds an index on orders while the transaction still holds the ACCESS EXCLUSIVE lock on users taken on line 2: reads and writes of users stay blocked until it finishes and the transaction commits.',
    );
    expect(v.related?.[0].message).toBe('ACCESS EXCLUSIVE lock on users taken here');
    expect(sql.slice(v.related![0].start, v.related![0].end)).toBe(
      'ALTER TABLE users ADD COLUMN a int',
    );
  });

  it('names the first few locked tables and counts the rest', () => {
    const alters = (n: number) =>
      Array.from({ length: n }, (_, i) => `ALTER TABLE t${i} ADD COLUMN a int;`).join('\n');
    const [many] = hits(`-- UP\n${alters(9)}\nCREATE INDEX orders_x ON orders (x);\n-- DOWN\n`);
    expect(many.message).toContain('ACCESS EXCLUSIVE lock on t0, t1, t2, t3, t4 and 4 more taken');
    expect(many.related?.map((r) => r.message)).toEqual(
      ['t0', 't1', 't2', 't3', 't4'].map((t) => `ACCESS EXCLUSIVE lock on ${t} taken here`),
    );
    // seven still fit
    const [seven] = hits(`-- UP\n${alters(7)}\nCREATE INDEX orders_x ON orders (x);\n-- DOWN\n`);
    expect(seven.message).toContain('t0, t1, t2, t3, t4, t5 and t6 taken');
    expect(seven.related).toHaveLength(7);
  });

  it('flags a non-blocking scan (VALIDATE, a copy) of the locked table itself', () => {
    expect(
      hits(
        '-- UP\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE users VALIDATE CONSTRAINT c;\n-- DOWN\n',
      ),
    ).toHaveLength(1);
    const root = writeFolder({
      '001_a.sql': '-- UP\nCREATE TABLE old_users (id bigint);\n-- DOWN\n',
      '002_b.sql':
        '-- UP\nALTER TABLE old_users RENAME TO legacy_users;\nCREATE TABLE users (id bigint);\nINSERT INTO users SELECT id FROM legacy_users;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.message).toContain('copies rows of legacy_users while the transaction still holds');
  });

  it('reports once per transaction, however much slow work follows', () => {
    const many =
      '-- UP\nALTER TABLE users ADD COLUMN a int;\nCREATE INDEX i1 ON orders (x);\nCREATE INDEX i2 ON items (y);\nALTER TABLE items ADD CONSTRAINT c CHECK (y > 0);\n-- DOWN\n';
    const vs = hits(many);
    expect(vs).toHaveLength(1);
    expect(many.slice(vs[0].start, vs[0].end)).toBe('CREATE INDEX i1 ON orders (x)');
    // a second transaction gets its own finding; so does a second lint of the same text
    const two =
      'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCREATE INDEX i1 ON orders (x);\nCOMMIT;\nBEGIN;\nALTER TABLE users ADD COLUMN b int;\nCREATE INDEX i2 ON items (y);\nCOMMIT;';
    expect(hits(two)).toHaveLength(2);
    expect(hits(two)).toHaveLength(2);
  });

  it('accepts instant statements, autocommit, COMMIT in between, new tables and dropped tables', () => {
    expect(
      hits(
        '-- UP\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
    expect(
      hits(
        '-- UP no-transaction\nALTER TABLE users ADD COLUMN a int;\nCREATE INDEX i ON orders (x);\n-- DOWN\n',
      ),
    ).toHaveLength(0);
    expect(
      hits('BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nCREATE INDEX i ON orders (x);'),
    ).toHaveLength(0);
    expect(
      hits(
        '-- UP\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON orders (x);\n-- DOWN\n',
      ),
    ).toHaveLength(0);
    expect(
      hits('-- UP\nDROP TABLE old_stuff;\nCREATE INDEX i ON orders (x);\n-- DOWN\n'),
    ).toHaveLength(0);
  });

  it('leaves cases with their own finding to their rules', () => {
    // the statement blocks the held table itself
    expect(
      hits(
        '-- UP\nALTER TABLE t DROP CONSTRAINT fk;\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
    // require-batched-data-change and require-separate-constraint-validation name the lock
    expect(
      hits('-- UP\nALTER TABLE t ADD COLUMN a int;\nUPDATE t SET a = 1;\n-- DOWN\n'),
    ).toHaveLength(0);
    expect(
      hits(
        '-- UP\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
  });

  it('the offered fix moves the slow statement and the rest into a new migration', () => {
    const root = writeFolder({
      '001_a.sql':
        "-- UP\nSET LOCAL lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;\n-- slow part\nCREATE INDEX orders_x ON orders (x);\nALTER TABLE orders ADD COLUMN y int;\n-- DOWN\n",
    });
    const [v] = only(lintDir(root).violations, RULE);
    const fix = v.fixes[0];
    expect(fix.preferred).toBeFalsy();
    expect(fix.title).toBe(
      'Move this statement and the rest of the section to a new migration 002_a_continued.sql',
    );
    roundTripFolderWith(root, RULE, firstRealFix);
    expect(readFileSync(join(root, '001_a.sql'), 'utf8')).toBe(
      "-- UP\nSET LOCAL lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;\n-- DOWN\n",
    );
    expect(readFileSync(join(root, '002_a_continued.sql'), 'utf8')).toBe(
      "-- UP\nSET LOCAL lock_timeout = '1s';\n-- slow part\nCREATE INDEX orders_x ON orders (x);\nALTER TABLE orders ADD COLUMN y int;\n\n-- DOWN\n\n",
    );
  });
});
