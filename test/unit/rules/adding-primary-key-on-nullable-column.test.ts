import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';

const RULE = 'adding-primary-key-on-nullable-column';

beforeAll(() => initParser());

const TABLE = {
  '001_a.sql':
    '-- UP\nCREATE TABLE accounts (id bigint, org bigint);\n-- DOWN\nDROP TABLE accounts;\n',
};
const USING_INDEX = {
  ...TABLE,
  '002_idx.sql':
    '-- UP no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id);\n-- DOWN no-transaction\nDROP INDEX CONCURRENTLY accounts_pkey;\n',
};

describe(RULE, () => {
  it('flags USING INDEX on a column the model knows is nullable', () => {
    const root = writeFolder({
      ...USING_INDEX,
      '003_pk.sql':
        '-- UP\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding the primary key of accounts USING INDEX accounts_pkey makes id NOT NULL, which scans every row under an ACCESS EXCLUSIVE lock: reads and writes of accounts are blocked until the scan ends.',
    );
  });

  it('flags ADD PRIMARY KEY (cols) naming only the nullable columns', () => {
    const root = writeFolder({
      '001_a.sql': '-- UP\nCREATE TABLE m (a bigint NOT NULL, b bigint);\n-- DOWN\nDROP TABLE m;\n',
      '002_pk.sql': '-- UP\nALTER TABLE m ADD PRIMARY KEY (a, b);\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.message).toContain('makes b NOT NULL');
  });

  it('accepts NOT NULL columns, a validated CHECK (PostgreSQL 12+), new tables and unknown columns', () => {
    const checked = writeFolder({
      ...USING_INDEX,
      '003_check.sql':
        '-- UP\nALTER TABLE accounts ADD CONSTRAINT id_nn CHECK (id IS NOT NULL) NOT VALID;\n-- DOWN\n',
      '004_validate.sql': '-- UP\nALTER TABLE accounts VALIDATE CONSTRAINT id_nn;\n-- DOWN\n',
      '005_pk.sql':
        '-- UP\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n-- DOWN\n',
    });
    expect(only(lintDir(checked).violations, RULE)).toHaveLength(0);
    // before 12 SET NOT NULL scans even with the check
    expect(only(lintDir(checked, { pgVersion: 11 }).violations, RULE)).toHaveLength(1);
    expect(
      only(lintText('CREATE TABLE t (id int);\nALTER TABLE t ADD PRIMARY KEY (id);'), RULE),
    ).toHaveLength(0);
    expect(only(lintText('ALTER TABLE t ADD PRIMARY KEY (id);'), RULE)).toHaveLength(0);
  });

  it('fix: CHECK NOT VALID now; VALIDATE, SET NOT NULL, the primary key and DROP CHECK later', () => {
    const root = writeFolder({
      ...USING_INDEX,
      '003_pk.sql':
        '-- UP\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n-- DOWN\n',
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '003_pk.sql'), 'utf8')).toBe(
      '-- UP\nALTER TABLE accounts ADD CONSTRAINT accounts_id_not_null CHECK (id IS NOT NULL) NOT VALID;\n-- DOWN\n',
    );
    const added = readdirSync(root).filter((f) => f.startsWith('004_'));
    expect(readFileSync(join(root, added[0]), 'utf8')).toContain(
      '-- UP\nALTER TABLE accounts VALIDATE CONSTRAINT accounts_id_not_null;\nALTER TABLE accounts ALTER COLUMN id SET NOT NULL;\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\nALTER TABLE accounts DROP CONSTRAINT accounts_id_not_null;\n',
    );
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
  });

  it('PostgreSQL 18: NOT NULL … NOT VALID, validated later, without the helper CHECK', () => {
    const root = writeFolder({
      ...TABLE,
      '002_pk.sql':
        '-- UP no-transaction\nALTER TABLE accounts ADD PRIMARY KEY (id, org);\n-- DOWN\n',
    });
    roundTripFolder(root, RULE, { pgVersion: 18 });
    expect(readFileSync(join(root, '002_pk.sql'), 'utf8')).toBe(
      '-- UP no-transaction\nALTER TABLE accounts ADD CONSTRAINT accounts_id_not_null NOT NULL id NOT VALID, ADD CONSTRAINT accounts_org_not_null NOT NULL org NOT VALID;\nALTER TABLE accounts VALIDATE CONSTRAINT accounts_id_not_null;\nALTER TABLE accounts VALIDATE CONSTRAINT accounts_org_not_null;\nALTER TABLE accounts ADD PRIMARY KEY (id, org);\n-- DOWN\n',
    );
  });

  it('no fix when later statements of the transaction could depend on the key, or before 12', () => {
    const root = writeFolder({
      ...TABLE,
      '002_pk.sql':
        '-- UP\nALTER TABLE accounts ADD PRIMARY KEY (id);\nCREATE TABLE x (a bigint REFERENCES accounts);\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    const alone = writeFolder({
      ...TABLE,
      '002_pk.sql': '-- UP\nALTER TABLE accounts ADD PRIMARY KEY (id);\n-- DOWN\n',
    });
    const [old] = only(lintDir(alone, { pgVersion: 11 }).violations, RULE);
    expect(old.help).toContain('Before PostgreSQL 12');
    expect(old.fixes.some((f) => f.preferred)).toBe(false);
  });
});
