import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';
import { roundTripText } from './_textRoundTrip';

const RULE = 'require-idle-in-transaction-timeout';
const ON = { rules: { [RULE]: 'warning' as const } };
const hits = (sql: string) => only(lintText(sql, ON), RULE);
const TWO =
  '-- UP\nCREATE TABLE t (a int);\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n';

beforeAll(() => initParser());

describe(RULE, () => {
  it('is opt-in', () => {
    expect(only(lintText(TWO), RULE)).toHaveLength(0);
  });

  it('flags once per section, at the first lock that blocks traffic on an existing table', () => {
    const vs = hits(TWO);
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toBe(
      'From here the transaction holds an ACCESS EXCLUSIVE lock on users (blocking reads and writes) with no idle_in_transaction_session_timeout: if the runner stalls or loses its connection before COMMIT, the lock stays held until the server notices the session is gone.',
    );
    expect(TWO.slice(vs[0].start, vs[0].end)).toBe('ALTER TABLE users ADD COLUMN a int');
  });

  it('explicit BEGIN in an autocommit script counts; a lone statement and autocommit do not', () => {
    expect(hits('BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;')).toHaveLength(1);
    expect(hits('-- UP\nALTER TABLE users ADD COLUMN a int;\n-- DOWN\n')).toHaveLength(0);
    expect(hits(TWO.replace('-- UP', '-- UP no-transaction'))).toHaveLength(0);
  });

  it('one query string (golang-migrate) runs without waiting for the client: not reported', () => {
    const root = writeFolder({
      '000001_a.up.sql':
        'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n',
      '000001_a.down.sql': '',
    });
    expect(only(lintDir(root, ON).violations, RULE)).toHaveLength(0);
  });

  it('accepts a timeout set earlier in the transaction, not one set to 0 or outside it', () => {
    expect(
      hits(`-- UP\nSET LOCAL idle_in_transaction_session_timeout = '5s';\n${TWO.slice(6)}`),
    ).toHaveLength(0);
    expect(
      hits(`-- UP\nSET idle_in_transaction_session_timeout = 0;\n${TWO.slice(6)}`),
    ).toHaveLength(1);
    expect(
      hits(
        "SET LOCAL idle_in_transaction_session_timeout = '5s';\nBEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;",
      ),
    ).toHaveLength(1);
  });

  it('fix: SET LOCAL at the start of the runner transaction; round trip is clean', () => {
    expect(roundTripText(TWO, RULE, ON)).toBe(
      "-- UP\nSET LOCAL idle_in_transaction_session_timeout = '10s';\nCREATE TABLE t (a int);\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n",
    );
  });
});
