import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';
import { roundTripText } from './_textRoundTrip';

const RULE = 'constraint-missing-not-valid';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);
const CHECK = 'ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0);';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags CHECK (ACCESS EXCLUSIVE) and FOREIGN KEY (SHARE ROW EXCLUSIVE) without NOT VALID', () => {
    const [v] = hits(CHECK);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'A CHECK constraint added to users without NOT VALID checks every existing row while holding an ACCESS EXCLUSIVE lock: reads and writes of users are blocked until the scan ends.',
    );
    const [fk] = hits('ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;');
    expect(fk.message).toContain('SHARE ROW EXCLUSIVE locks on orders and users');
  });

  it('never asks for NOT VALID on UNIQUE, PRIMARY KEY or EXCLUDE (PostgreSQL rejects it)', () => {
    expect(hits('ALTER TABLE users ADD CONSTRAINT k UNIQUE (email);')).toHaveLength(0);
    expect(hits('ALTER TABLE users ADD PRIMARY KEY (id);')).toHaveLength(0);
    expect(hits('ALTER TABLE r ADD EXCLUDE USING gist (during WITH &&);')).toHaveLength(0);
  });

  it('exempts NOT VALID and tables created in the migration', () => {
    expect(hits(CHECK.replace(';', ' NOT VALID;'))).toHaveLength(0);
    expect(hits(`CREATE TABLE users (age int);\n${CHECK}`)).toHaveLength(0);
  });

  it('ADD CONSTRAINT … NOT NULL is flagged from PostgreSQL 18 only', () => {
    const sql = 'ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;';
    expect(hits(sql, { pgVersion: 17 })).toHaveLength(0);
    expect(hits(sql, { pgVersion: 18 })).toHaveLength(1);
    expect(roundTripText(sql, RULE, { pgVersion: 18 })).toBe(
      'ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;\n' +
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
    );
  });

  it('names an unnamed CHECK the way PostgreSQL would; round trip is clean', () => {
    const sql = 'ALTER TABLE app.users ADD CHECK (age >= 0), ADD CHECK (a < b);\n';
    const fixed = roundTripText(sql, RULE);
    expect(fixed).toBe(
      'ALTER TABLE app.users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID, ADD CHECK (a < b);\n' +
        'ALTER TABLE app.users VALIDATE CONSTRAINT users_age_check;\n',
    );
    expect(roundTripText(fixed, RULE)).toContain(
      'ADD CONSTRAINT users_check CHECK (a < b) NOT VALID;\nALTER TABLE app.users VALIDATE CONSTRAINT users_check;',
    );
  });

  it('plain folder: VALIDATE goes to a new migration; round trip is clean', () => {
    const root = writeFolder({
      '001_users.sql':
        '-- UP\nCREATE TABLE users (id bigint, age int);\n-- DOWN\nDROP TABLE users;\n',
      '002_check.sql': `-- UP\n${CHECK}\n-- DOWN\nALTER TABLE users DROP CONSTRAINT users_age_check;\n`,
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_check.sql'), 'utf8')).toContain('(age >= 0) NOT VALID;');
    const added = readdirSync(root).filter((f) => f.startsWith('003_'));
    expect(added).toEqual(['003_check_validate.sql']);
    expect(readFileSync(join(root, added[0]), 'utf8')).toBe(
      '-- UP\nALTER TABLE users VALIDATE CONSTRAINT users_age_check;\n\n-- DOWN\n\n',
    );
  });
});
