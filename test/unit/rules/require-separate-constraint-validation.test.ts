import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';

const RULE = 'require-separate-constraint-validation';
const hits = (sql: string) => only(lintText(sql), RULE);
const SAME =
  '-- UP\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n-- DOWN\n';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags VALIDATE in the transaction that added the constraint NOT VALID', () => {
    const [v] = hits(SAME);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'orders_user_fk was added NOT VALID on line 2 in this same transaction: its SHARE ROW EXCLUSIVE lock (writes blocked on both tables) is still held while VALIDATE scans orders, so NOT VALID gains nothing.',
    );
    const check = hits(
      '-- UP\nALTER TABLE t ADD CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;\n-- DOWN\n',
    );
    expect(check[0].message).toContain('its ACCESS EXCLUSIVE lock (reads and writes blocked)');
  });

  it('accepts separate transactions, autocommit, another constraint and new tables', () => {
    expect(hits(SAME.replace('-- UP', '-- UP no-transaction'))).toHaveLength(0);
    expect(
      hits(
        'BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;',
      ),
    ).toHaveLength(0);
    expect(
      hits(
        '-- UP\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT d;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
    expect(
      hits(
        '-- UP\nCREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
  });

  it('fix: VALIDATE (and what follows it) moves to a new migration; round trip is clean', () => {
    const root = writeFolder({
      '001_fk.sql': SAME.replace(
        '-- DOWN',
        'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\n-- DOWN',
      ),
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '001_fk.sql'), 'utf8')).toBe(
      '-- UP\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n-- DOWN\n',
    );
    expect(readFileSync(join(root, '002_fk_validate.sql'), 'utf8')).toContain(
      '-- UP\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\nALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\n',
    );
  });

  it('no fix inside an explicit BEGIN … COMMIT', () => {
    const [v] = hits(
      'BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;',
    );
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
