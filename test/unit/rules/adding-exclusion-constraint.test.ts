import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';

const RULE = 'adding-exclusion-constraint';
const hits = (sql: string) => only(lintText(sql), RULE);
const EXCLUDE =
  'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD … EXCLUDE on an existing table, on the subcommand', () => {
    const [v] = hits(EXCLUDE);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding an exclusion constraint to bookings builds its index and checks every row under an ACCESS EXCLUSIVE lock: reads and writes of bookings are blocked until the build ends.',
    );
    expect(EXCLUDE.slice(v.start, v.end)).toBe(
      'ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)',
    );
    expect(v.help).toContain('cannot be NOT VALID');
  });

  it('accepts tables created in the same migration and other constraints', () => {
    expect(hits(`CREATE TABLE bookings (room int, during tstzrange);\n${EXCLUDE}`)).toHaveLength(0);
    expect(hits('ALTER TABLE bookings ADD CONSTRAINT c CHECK (room > 0) NOT VALID;')).toHaveLength(
      0,
    );
  });

  it('only the ignore comment is offered: there is no online rewrite', () => {
    const [v] = hits(EXCLUDE);
    expect(v.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
  });
});
