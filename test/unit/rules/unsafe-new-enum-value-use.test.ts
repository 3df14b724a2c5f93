import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';

const RULE = 'unsafe-new-enum-value-use';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);

beforeAll(() => initParser());

const MOOD = {
  '001_mood.sql':
    "-- UP\nCREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE person (id bigint, m mood, note text);\n-- DOWN\n",
};

describe(RULE, () => {
  it('flags a cast of the new value in the same transaction (PostgreSQL raises an error)', () => {
    const sql = "-- UP\nALTER TYPE mood ADD VALUE 'meh';\nSELECT 'meh'::mood;\n-- DOWN\n";
    const [v] = hits(sql);
    expect(v.severity).toBe('error');
    expect(v.message).toBe(
      'This statement uses \'meh\', which ALTER TYPE mood ADD VALUE added on line 2 in the same transaction: PostgreSQL rejects it with "unsafe use of new value" until that transaction commits, so the migration fails.',
    );
    expect(v.related?.[0].message).toBe("'meh' added here");
  });

  it('flags the value written to a column of the enum type (from the schema model)', () => {
    const root = writeFolder({
      ...MOOD,
      '002_meh.sql':
        "-- UP\nALTER TYPE mood ADD VALUE 'meh';\nUPDATE person SET m = 'meh' WHERE id = 1;\nALTER TABLE person ALTER COLUMN m SET DEFAULT 'meh';\n-- DOWN\n",
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(2);
  });

  it('accepts other literals, separate transactions, PostgreSQL < 12 and types created in the migration', () => {
    const root = writeFolder({
      ...MOOD,
      '002_meh.sql':
        "-- UP\nALTER TYPE mood ADD VALUE 'meh';\nUPDATE person SET note = 'meh2' WHERE id = 1;\nUPDATE person SET m = 'ok';\n-- DOWN\n",
      '003_use.sql': "-- UP\nUPDATE person SET m = 'meh' WHERE id = 2;\n-- DOWN\n",
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
    expect(
      hits(
        "-- UP no-transaction\nALTER TYPE mood ADD VALUE 'meh';\nSELECT 'meh'::mood;\n-- DOWN\n",
      ),
    ).toHaveLength(0);
    expect(
      hits("BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;\nSELECT 'meh'::mood;"),
    ).toHaveLength(0);
    expect(
      hits(
        "-- UP\nCREATE TYPE mood AS ENUM ('ok');\nALTER TYPE mood ADD VALUE 'meh';\nSELECT 'meh'::mood;\n-- DOWN\n",
      ),
    ).toHaveLength(0);
    expect(
      hits("-- UP\nALTER TYPE mood ADD VALUE 'meh';\nSELECT 'meh'::mood;\n-- DOWN\n", {
        pgVersion: 11,
      }),
    ).toHaveLength(0);
  });

  it('fix: the first use and everything after it move to a new migration', () => {
    const root = writeFolder({
      ...MOOD,
      '002_meh.sql':
        "-- UP\nALTER TYPE mood ADD VALUE 'meh';\nCREATE INDEX person_m ON person (id);\nUPDATE person SET m = 'meh' WHERE id = 1;\nSELECT 'meh'::mood;\n-- DOWN\n",
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_meh.sql'), 'utf8')).toBe(
      "-- UP\nALTER TYPE mood ADD VALUE 'meh';\nCREATE INDEX person_m ON person (id);\n-- DOWN\n",
    );
    expect(readFileSync(join(root, '003_meh_use_new_value.sql'), 'utf8')).toContain(
      "-- UP\nUPDATE person SET m = 'meh' WHERE id = 1;\nSELECT 'meh'::mood;\n",
    );
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
  });
});
