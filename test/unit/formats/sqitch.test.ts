import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { load, relFiles, shape } from './_folder';

beforeAll(() => initParser());

const PLAN = `%syntax-version=1.0.0
%project=flipr

users 2013-12-30T23:49:00Z Marge N. O'Vera <marge@example.com> # Creates table to track our users.
flips [users] 2013-12-31T00:10:13Z Marge N. O'Vera <marge@example.com> # Adds flips.
@v1.0.0-dev1 2013-12-31T00:12:00Z Marge N. O'Vera <marge@example.com> # Tag v1.0.0-dev1.

appuser 2014-01-01T00:00:00Z Marge N. O'Vera <marge@example.com> # Adds appuser.
`;

const tx = (body: string) => `BEGIN;\n${body}\nCOMMIT;\n`;

describe('sqitch format', () => {
  it('orders changes by the plan, pairing deploy and revert scripts; verify is ignored', () => {
    const { root, folder } = load({
      'sqitch.plan': PLAN,
      'sqitch.conf': '[core]\n\tengine = pg\n',
      // names that sort the other way round than the plan
      'deploy/users.sql': tx('CREATE TABLE users (id int);'),
      'deploy/flips.sql': tx('CREATE TABLE flips (id int);'),
      'deploy/appuser.sql': 'CREATE ROLE appuser;\n',
      'revert/users.sql': tx('DROP TABLE users;'),
      'revert/flips.sql': tx('DROP TABLE flips;'),
      'verify/users.sql': 'SELECT id FROM users WHERE false;\n',
    });
    expect(folder.format).toBe('sqitch');
    expect(shape(folder)).toEqual([
      'users [up:none:TransactionStmt,CreateStmt,TransactionStmt down:none:TransactionStmt,DropStmt,TransactionStmt]',
      'flips [up:none:TransactionStmt,CreateStmt,TransactionStmt down:none:TransactionStmt,DropStmt,TransactionStmt]',
      'appuser [up:none:CreateRoleStmt]',
    ]);
    const users = folder.migrations[0];
    expect(users.label).toBe('deploy/users.sql');
    expect(relFiles(root, users)).toEqual(['deploy/users.sql', 'revert/users.sql']);
    expect(users.sections[0].transactionSource).toMatch(/BEGIN\/COMMIT/);
    expect(folder.migrations[2].downTarget).toEqual({
      kind: 'file',
      path: `${root}/revert/appuser.sql`,
    });
    expect(folder.ignoredFiles.sort()).toEqual(['sqitch.conf', 'sqitch.plan', 'verify/users.sql']);
  });

  it('reads the earlier scripts of a reworked change from <change>@<tag>', () => {
    const plan = `%project=x
users 2013-12-30T23:49:00Z A <a@example.com>
@v1 2013-12-31T00:00:00Z A <a@example.com>
users [users@v1] 2014-01-01T00:00:00Z A <a@example.com> # reworked
`;
    const { folder } = load({
      'sqitch.plan': plan,
      'deploy/users@v1.sql': 'CREATE TABLE users (id int);\n',
      'deploy/users.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
    });
    expect(shape(folder)).toEqual([
      'users@v1 [up:none:CreateStmt]',
      'users [up:none:AlterTableStmt]',
    ]);
  });

  it('reads deploy and revert scripts on their own', () => {
    const up = loadSingleFile('/proj/deploy/users.sql', 'CREATE TABLE users (id int);');
    expect(up.format).toBe('sqitch');
    expect(up.sections.map((s) => `${s.kind}:${s.transaction}`)).toEqual(['up:none']);
    expect(up.downTarget).toEqual({ kind: 'file', path: '/proj/revert/users.sql' });
    expect(loadSingleFile('/proj/revert/users.sql', 'DROP TABLE users;').sections[0].kind).toBe(
      'down',
    );
  });
});
