import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'adding-serial-primary-key-field';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD PRIMARY KEY (cols) and ADD COLUMN … PRIMARY KEY on an existing table', () => {
    const sql = 'ALTER TABLE accounts ADD PRIMARY KEY (id);';
    const [v] = hits(sql);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding a primary key on accounts (id) builds its index under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the build ends.',
    );
    expect(v.help).toContain('CREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id)');
    expect(v.help).toContain('PRIMARY KEY USING INDEX accounts_pkey');
    expect(sql.slice(v.start, v.end)).toBe('ADD PRIMARY KEY (id)');
    expect(hits('ALTER TABLE accounts ADD COLUMN id serial PRIMARY KEY;')).toHaveLength(1);
  });

  it('exempts USING INDEX on NOT NULL columns, and tables created in the migration', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE TABLE accounts (id bigint NOT NULL);\n-- DOWN\nDROP TABLE accounts;\n',
      '002_idx.sql':
        '-- UP no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id);\n-- DOWN no-transaction\nDROP INDEX CONCURRENTLY accounts_pkey;\n',
      '003_pk.sql':
        '-- UP\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n-- DOWN\nALTER TABLE accounts DROP CONSTRAINT accounts_pkey;\n',
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
    expect(
      hits('CREATE TABLE accounts (id int);\nALTER TABLE accounts ADD PRIMARY KEY (id);'),
    ).toHaveLength(0);
  });

  it('only the ignore comment is offered', () => {
    const [v] = hits('ALTER TABLE accounts ADD PRIMARY KEY (id);');
    expect(v.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
  });

  it('leaves USING INDEX on nullable columns to adding-primary-key-on-nullable-column', () => {
    const root = writeFolder({
      '001_a.sql': `-- UP\nCREATE TABLE accounts (id bigint);\n-- DOWN\nDROP TABLE accounts;\n`,
      '002_idx.sql':
        '-- UP no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id);\n-- DOWN no-transaction\nDROP INDEX CONCURRENTLY accounts_pkey;\n',
      '003_pk.sql':
        '-- UP\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n-- DOWN\n',
    });
    const vs = lintDir(root).violations;
    expect(only(vs, RULE)).toHaveLength(0);
    expect(only(vs, 'adding-primary-key-on-nullable-column')).toHaveLength(1);
  });
});
