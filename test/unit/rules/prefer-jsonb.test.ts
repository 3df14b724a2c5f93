import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../helpers/lint';
import { fixed, hasPreferredFix, hitsOf } from './_typeStyle';

const RULE = 'prefer-jsonb';
const hits = hitsOf(RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags json columns', () => {
    const [v] = hits('CREATE TABLE t (payload json NOT NULL);');
    expect(v.severity).toBe('info');
    expect(v.message).toContain('t.payload is json: the text is re-parsed on every access');
    expect(hits('ALTER TABLE t ADD COLUMN a json[], ALTER COLUMN b TYPE JSON;')).toHaveLength(2);
  });

  it('leaves jsonb and DOWN sections alone', () => {
    expect(hits('CREATE TABLE t (a jsonb, b text);')).toHaveLength(0);
    expect(hits('-- UP\nSELECT 1;\n-- DOWN\nCREATE TABLE t (a json);\n')).toHaveLength(0);
  });

  it('fixes json → jsonb', () => {
    expect(fixed(RULE, "CREATE TABLE t (payload JSON DEFAULT '{}');")).toBe(
      "CREATE TABLE t (payload jsonb DEFAULT '{}');",
    );
    expect(fixed(RULE, 'ALTER TABLE t ADD COLUMN docs json[];')).toBe(
      'ALTER TABLE t ADD COLUMN docs jsonb[];',
    );
  });

  it('offers no fix where a json function reads the column', () => {
    expect(
      hasPreferredFix(RULE, "CREATE TABLE t (p json CHECK (json_typeof(p) = 'object'));"),
    ).toBe(false);
    expect(hasPreferredFix(RULE, 'ALTER TABLE t ALTER COLUMN p TYPE json;')).toBe(false);
  });
});
