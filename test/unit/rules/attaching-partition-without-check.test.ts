import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyToText,
  initParser,
  lintDir,
  lintText,
  only,
  preferred,
  roundTripFolder,
  writeFolder,
} from '../helpers/lint';

const RULE = 'attaching-partition-without-check';

beforeAll(() => initParser());

const BASE = {
  '001_events.sql':
    '-- UP\nCREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 (id bigint, at date NOT NULL);\n-- DOWN\nDROP TABLE events_2024;\nDROP TABLE events;\n',
};
const ATTACH =
  "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');";

describe(RULE, () => {
  it('flags ATTACH of an existing table without a validated CHECK matching the bounds', () => {
    const root = writeFolder({ ...BASE, '002_attach.sql': `-- UP\n${ATTACH}\n-- DOWN\n` });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Attaching events_2024 to events scans every row of events_2024 to prove it fits the partition bounds, under an ACCESS EXCLUSIVE lock: reads and writes of events_2024 are blocked until the scan ends.',
    );
  });

  it('plain folder: CHECK NOT VALID now, VALIDATE + ATTACH + DROP CONSTRAINT in a new migration', () => {
    const root = writeFolder({ ...BASE, '002_attach.sql': `-- UP\n${ATTACH}\n-- DOWN\n` });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_attach.sql'), 'utf8')).toBe(
      "-- UP\nALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound_check CHECK (at IS NOT NULL AND at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\n-- DOWN\n",
    );
    const added = readdirSync(root).filter((f) => f.startsWith('003_'));
    expect(added).toEqual(['003_attach_validate.sql']);
    expect(readFileSync(join(root, added[0]), 'utf8')).toContain(
      `-- UP\nALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound_check;\n${ATTACH}\nALTER TABLE events_2024 DROP CONSTRAINT events_2024_bound_check;\n`,
    );
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
  });

  it('autocommit: the rest of the recipe goes right after, in order', () => {
    const root = writeFolder({
      ...BASE,
      '002_attach.sql': `-- UP no-transaction\n${ATTACH}\nSELECT 1;\n-- DOWN\n`,
    });
    const [v] = only(lintDir(root).violations, RULE);
    const text = readFileSync(join(root, '002_attach.sql'), 'utf8');
    expect(applyToText(text, preferred(v).edits)).toBe(
      `-- UP no-transaction\nALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound_check CHECK (at IS NOT NULL AND at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound_check;\n${ATTACH}\nALTER TABLE events_2024 DROP CONSTRAINT events_2024_bound_check;\nSELECT 1;\n-- DOWN\n`,
    );
    roundTripFolder(root, RULE);
  });

  it('LIST bounds with NULL become IS NULL OR IN (…); MINVALUE drops the lower bound', () => {
    const list = writeFolder({
      '001_p.sql':
        '-- UP\nCREATE TABLE jobs (kind text) PARTITION BY LIST (kind);\nCREATE TABLE jobs_misc (kind text);\n-- DOWN\n',
      '002_a.sql':
        "-- UP\nALTER TABLE jobs ATTACH PARTITION jobs_misc FOR VALUES IN ('a', NULL, 'b''c');\n-- DOWN\n",
    });
    roundTripFolder(list, RULE);
    expect(readFileSync(join(list, '002_a.sql'), 'utf8')).toContain(
      "CHECK ((kind IS NULL OR kind IN ('a', 'b''c'))) NOT VALID",
    );
    const range = writeFolder({
      ...BASE,
      '002_attach.sql':
        "-- UP\nALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM (MINVALUE) TO ('2025-01-01'::date);\n-- DOWN\n",
    });
    roundTripFolder(range, RULE);
    expect(readFileSync(join(range, '002_attach.sql'), 'utf8')).toContain(
      "CHECK (at IS NOT NULL AND at < '2025-01-01'::date) NOT VALID",
    );
  });

  it('accepts a validated CHECK on the key column, and partitions created in the same migration', () => {
    const root = writeFolder({
      ...BASE,
      '002_check.sql':
        "-- UP\nALTER TABLE events_2024 ADD CONSTRAINT b CHECK (at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\n-- DOWN\n",
      '003_validate.sql': '-- UP\nALTER TABLE events_2024 VALIDATE CONSTRAINT b;\n-- DOWN\n',
      '004_attach.sql': `-- UP\n${ATTACH}\n-- DOWN\n`,
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
    const sameMigration = `CREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 (at date);\n${ATTACH}`;
    expect(only(lintText(sameMigration), RULE)).toHaveLength(0);
  });

  it('names the default partition, which is locked and scanned too', () => {
    const root = writeFolder({
      ...BASE,
      '002_default.sql': '-- UP\nCREATE TABLE events_other PARTITION OF events DEFAULT;\n-- DOWN\n',
      '003_attach.sql': `-- UP\n${ATTACH}\n-- DOWN\n`,
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.message).toContain(
      'events has a default partition, events_other: it is locked ACCESS EXCLUSIVE and scanned too',
    );
  });

  it('before PostgreSQL 12 the parent is ACCESS EXCLUSIVE too, and no fix is offered', () => {
    const root = writeFolder({ ...BASE, '002_attach.sql': `-- UP\n${ATTACH}\n-- DOWN\n` });
    const [v] = only(lintDir(root, { pgVersion: 11 }).violations, RULE);
    expect(v.message).toContain('Before PostgreSQL 12 it also holds ACCESS EXCLUSIVE on events');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('a table the model does not know is still reported; an unknown key means no fix', () => {
    const [v] = only(lintText(`${ATTACH}`), RULE);
    expect(v.message).toContain(
      'unless events_2024 has a validated CHECK constraint implying the bounds, which pgmig cannot see (the table is not created by the migrations it has seen)',
    );
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
