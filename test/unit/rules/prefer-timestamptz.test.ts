import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only, writeFolder } from '../helpers/lint';
import { loadSettings } from '../../../server/src/config/load';
import { fixed, hasPreferredFix, hitsOf } from './_typeStyle';

const RULE = 'prefer-timestamptz';
const hits = hitsOf(RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags timestamp without time zone', () => {
    const sql = 'CREATE TABLE t (created_at timestamp NOT NULL DEFAULT now());';
    const [v] = hits(sql);
    expect(v.severity).toBe('info');
    expect(sql.slice(v.start, v.end)).toBe('timestamp');
    expect(v.message).toContain('t.created_at is timestamp without time zone');
    expect(
      hits('CREATE TABLE t (a timestamp(3), b TIMESTAMP WITHOUT TIME ZONE, c timestamp[]);'),
    ).toHaveLength(3);
    expect(
      hits('ALTER TABLE t ADD COLUMN a timestamp, ALTER COLUMN b TYPE timestamp;'),
    ).toHaveLength(2);
  });

  it('leaves timestamptz, dates, times and DOWN sections alone', () => {
    expect(
      hits(
        'CREATE TABLE t (a timestamptz, b timestamp with time zone, c date, d time, e interval);',
      ),
    ).toHaveLength(0);
    expect(hits('-- UP\nSELECT 1;\n-- DOWN\nCREATE TABLE t (a timestamp);\n')).toHaveLength(0);
  });

  it('fixes to timestamptz, keeping precision and array bounds', () => {
    expect(fixed(RULE, 'CREATE TABLE t (at timestamp DEFAULT now());')).toBe(
      'CREATE TABLE t (at timestamptz DEFAULT now());',
    );
    expect(fixed(RULE, 'CREATE TABLE t (at timestamp (3) without time zone NOT NULL);')).toBe(
      'CREATE TABLE t (at timestamptz(3) NOT NULL);',
    );
    expect(fixed(RULE, 'ALTER TABLE t ADD COLUMN at TIMESTAMP[];')).toBe(
      'ALTER TABLE t ADD COLUMN at timestamptz[];',
    );
  });

  it('offers no fix where timestamptz would break an immutable expression, or for ALTER TYPE', () => {
    // date_trunc on timestamptz is not immutable: the index would fail to build
    expect(
      hasPreferredFix(
        RULE,
        "CREATE TABLE t (at timestamp);\nCREATE INDEX ON t (date_trunc('day', at));",
      ),
    ).toBe(false);
    expect(
      hasPreferredFix(
        RULE,
        'CREATE TABLE t (at timestamp, d date GENERATED ALWAYS AS (at::date) STORED);',
      ),
    ).toBe(false);
    expect(hasPreferredFix(RULE, 'ALTER TABLE t ALTER COLUMN at TYPE timestamp;')).toBe(false);
  });

  it("accepts squawk's spelling prefer-timestamp-tz in ignore comments and .squawk.toml", () => {
    const sql = 'CREATE TABLE t (at timestamp);';
    expect(only(lintText(`-- squawk-ignore prefer-timestamp-tz\n${sql}`), RULE)).toHaveLength(0);
    const dir = writeFolder({ '.squawk.toml': 'excluded_rules = ["prefer-timestamp-tz"]\n' });
    const { settings, warnings } = loadSettings({ cwd: dir, knownRules: new Set([RULE]) });
    expect(settings.rules[RULE]).toBe('off');
    expect(warnings).toEqual([]);
  });
});
