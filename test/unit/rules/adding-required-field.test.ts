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
  writeFolder,
} from '../helpers/lint';

const RULE = 'adding-required-field';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);
const ADD = 'ALTER TABLE users ADD COLUMN age integer NOT NULL;';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD COLUMN … NOT NULL without a default on an existing table', () => {
    const [v] = hits(ADD);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding age to users as NOT NULL without a DEFAULT fails if users has any row, and breaks code that inserts without it.',
    );
    expect(ADD.slice(v.start, v.end)).toBe('ADD COLUMN age integer NOT NULL');
    expect(hits('ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT NULL;')).toHaveLength(1);
  });

  it('exempts defaults, identity, generated, serial columns and new tables', () => {
    expect(hits('ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;')).toHaveLength(0);
    expect(hits('ALTER TABLE users ADD COLUMN age int;')).toHaveLength(0);
    expect(
      hits('ALTER TABLE users ADD COLUMN id bigint NOT NULL GENERATED ALWAYS AS IDENTITY;'),
    ).toHaveLength(0);
    expect(
      hits('ALTER TABLE users ADD COLUMN d int NOT NULL GENERATED ALWAYS AS (1) STORED;'),
    ).toHaveLength(0);
    expect(hits('ALTER TABLE users ADD COLUMN id bigserial NOT NULL;')).toHaveLength(0);
    expect(hits(`CREATE TABLE users (id int);\n${ADD}`)).toHaveLength(0);
  });

  it('offers to add the column nullable (not preferred); the result lints clean', () => {
    const [v] = hits(ADD);
    expect(v.fixes[0].preferred).toBeFalsy();
    const fixed = applyToText(ADD, v.fixes[0].edits);
    expect(fixed).toBe('ALTER TABLE users ADD COLUMN age integer;');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(only(after, 'syntax-error')).toHaveLength(0);
    expect(v.help).toContain('SET NOT NULL');
  });

  it('keeps other clauses of the column when dropping NOT NULL', () => {
    const sql =
      'ALTER TABLE users ADD COLUMN code text COLLATE "C" CONSTRAINT nn NOT NULL CHECK (code <> \'\');';
    const [v] = hits(sql);
    expect(applyToText(sql, v.fixes[0].edits)).toBe(
      'ALTER TABLE users ADD COLUMN code text COLLATE "C" CHECK (code <> \'\');',
    );
  });

  it('folder: applying the fix leaves the migrations clean', () => {
    const root = writeFolder({
      '001_users.sql': '-- UP\nCREATE TABLE users (id bigint);\n-- DOWN\nDROP TABLE users;\n',
      '002_age.sql': `-- UP\n${ADD}\n-- DOWN\nALTER TABLE users DROP COLUMN age;\n`,
    });
    const [v] = only(lintDir(root).violations, RULE);
    applyEdits(v.fixes[0].edits);
    expect(readFileSync(join(root, '002_age.sql'), 'utf8')).toContain(
      'ALTER TABLE users ADD COLUMN age integer;',
    );
    const after = lintDir(root).violations;
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((x) => x.severity === 'error')).toHaveLength(0);
  });

  it('flags a PRIMARY KEY column without a value source (NOT NULL implied), with no nullable fix', () => {
    const [v] = hits('ALTER TABLE users ADD COLUMN code text PRIMARY KEY;');
    expect(v.message).toBe(
      'Adding code to users as a PRIMARY KEY (NOT NULL) without a DEFAULT fails if users has any row, and breaks code that inserts without it.',
    );
    expect(v.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
    expect(hits('ALTER TABLE users ADD COLUMN id bigserial PRIMARY KEY;')).toHaveLength(0);
  });
});
