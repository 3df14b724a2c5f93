import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';

const RULE = 'ban-alter-domain-with-add-constraint';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags adding, validating and SET NOT NULL on an existing domain', () => {
    const [v] = hits('ALTER DOMAIN positive ADD CONSTRAINT gt0 CHECK (VALUE > 0);');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding a constraint to domain positive checks every column of every table that uses it, holding a SHARE lock on each of those tables meanwhile: writes to all of them wait until it ends.',
    );
    expect(hits('ALTER DOMAIN positive VALIDATE CONSTRAINT gt0;')[0].message).toContain(
      'Validating a constraint of domain positive',
    );
    expect(hits('ALTER DOMAIN app.positive SET NOT NULL;')).toHaveLength(1);
  });

  it('leaves NOT VALID, other changes and domains new in the migration alone', () => {
    expect(
      hits('ALTER DOMAIN positive ADD CONSTRAINT gt0 CHECK (VALUE > 0) NOT VALID;'),
    ).toHaveLength(0);
    expect(hits('ALTER DOMAIN positive DROP CONSTRAINT gt0;')).toHaveLength(0);
    expect(hits('ALTER DOMAIN positive SET DEFAULT 1;')).toHaveLength(0);
    expect(
      hits(
        'CREATE DOMAIN positive AS int;\nALTER DOMAIN positive ADD CONSTRAINT gt0 CHECK (VALUE > 0);',
      ),
    ).toHaveLength(0);
  });
});
