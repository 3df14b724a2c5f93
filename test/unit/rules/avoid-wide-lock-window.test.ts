import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';
import { firstRealFix, roundTripFolderWith } from './_folderRoundTrip';

const RULE = 'avoid-wide-lock-window';
const ON = { rules: { [RULE]: 'warning' as const } };
const hits = (sql: string, over = {}) => only(lintText(sql, { ...ON, ...over }), RULE);
const TWO =
  '-- UP\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n';

beforeAll(() => initParser());

describe(RULE, () => {
  it('is opt-in', () => {
    expect(only(lintText(TWO), RULE)).toHaveLength(0);
  });

  it('flags a second table locked ACCESS EXCLUSIVE in the same transaction', () => {
    const [v] = hits(TWO);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'This statement takes ACCESS EXCLUSIVE on orders while the transaction already holds it on users (line 2): while it waits for its lock, reads and writes of users are blocked too, with no lock_timeout to end the wait.',
    );
    const bounded = hits(
      "-- UP\nSET LOCAL lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n",
    );
    expect(bounded[0].message).toContain('(for up to lock_timeout)');
  });

  it('reports once per transaction', () => {
    const three =
      '-- UP\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\nALTER TABLE items ADD COLUMN c int;\n-- DOWN\n';
    expect(hits(three)).toHaveLength(1);
  });

  it('accepts one table, autocommit, separate transactions and new tables', () => {
    expect(
      hits(
        '-- UP\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
    expect(hits(TWO.replace('-- UP', '-- UP no-transaction'))).toHaveLength(0);
    expect(
      hits(
        'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN b int;\nCOMMIT;',
      ),
    ).toHaveLength(0);
    expect(
      hits(
        '-- UP\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE users ADD COLUMN c int;\n-- DOWN\n',
      ),
    ).toHaveLength(0);
  });

  it('golang-migrate: a multi-statement file is one implicit transaction', () => {
    const root = writeFolder({
      '000001_a.up.sql':
        'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n',
      '000001_a.down.sql': 'ALTER TABLE users DROP COLUMN a;\n',
    });
    expect(only(lintDir(root, ON).violations, RULE)).toHaveLength(1);
  });

  it('offers to move the second table (and the rest) into a migration of its own', () => {
    const root = writeFolder({ '001_a.sql': TWO });
    roundTripFolderWith(root, RULE, firstRealFix, ON);
    expect(readFileSync(join(root, '001_a.sql'), 'utf8')).toBe(
      '-- UP\nALTER TABLE users ADD COLUMN a int;\n-- DOWN\n',
    );
    expect(readFileSync(join(root, '002_a_continued.sql'), 'utf8')).toContain(
      '-- UP\nALTER TABLE orders ADD COLUMN b int;\n',
    );
  });
});
