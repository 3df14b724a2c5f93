import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';

const RULE = 'require-enum-value-ordering';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD VALUE without BEFORE or AFTER (info)', () => {
    const [v] = hits("ALTER TYPE mood ADD VALUE 'meh';");
    expect(v.severity).toBe('info');
    expect(v.message).toBe(
      "ADD VALUE 'meh' without BEFORE or AFTER puts it last in the sort order of mood: ORDER BY and comparisons on the enum follow that order.",
    );
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('accepts BEFORE / AFTER and RENAME VALUE', () => {
    expect(hits("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';")).toHaveLength(0);
    expect(hits("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' AFTER 'ok';")).toHaveLength(0);
    expect(hits("ALTER TYPE mood RENAME VALUE 'a' TO 'b';")).toHaveLength(0);
  });

  it("with the enum's values known, the fix writes AFTER its last value (same order, explicit)", () => {
    const root = writeFolder({
      '001_mood.sql': "-- UP\nCREATE TYPE app.mood AS ENUM ('ok', 'it''s fine');\n-- DOWN\n",
      '002_meh.sql':
        "-- UP no-transaction\nALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'meh';\nALTER TYPE app.mood ADD VALUE 'wow';\n-- DOWN\n",
    });
    const [first] = only(lintDir(root).violations, RULE);
    expect(first.message).toContain("after 'it''s fine'".replace("''", "'"));
    roundTripFolder(root, RULE);
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_meh.sql'), 'utf8')).toBe(
      "-- UP no-transaction\nALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'meh' AFTER 'it''s fine';\nALTER TYPE app.mood ADD VALUE 'wow' AFTER 'meh';\n-- DOWN\n",
    );
  });
});
