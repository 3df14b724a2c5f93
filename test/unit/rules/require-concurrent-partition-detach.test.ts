import { readFileSync } from 'node:fs';
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

const RULE = 'require-concurrent-partition-detach';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags DETACH PARTITION without CONCURRENTLY: ACCESS EXCLUSIVE on parent and partition', () => {
    const [v] = hits('ALTER TABLE events DETACH PARTITION events_2023;');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Detaching events_2023 from events without CONCURRENTLY takes ACCESS EXCLUSIVE locks on both: every read and write of events and all its partitions waits until it commits.',
    );
  });

  it('accepts CONCURRENTLY and FINALIZE, and parents created in the same migration', () => {
    expect(hits('ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;')).toHaveLength(0);
    expect(hits('ALTER TABLE events DETACH PARTITION events_2023 FINALIZE;')).toHaveLength(0);
    expect(
      hits(
        'CREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE e1 PARTITION OF events DEFAULT;\nALTER TABLE events DETACH PARTITION e1;',
      ),
    ).toHaveLength(0);
  });

  it('is not reported before PostgreSQL 14, which has no concurrent detach', () => {
    expect(hits('ALTER TABLE events DETACH PARTITION e1;', { pgVersion: 13 })).toHaveLength(0);
    expect(hits('ALTER TABLE events DETACH PARTITION e1;', { pgVersion: 14 })).toHaveLength(1);
  });

  it('a lone statement just gets CONCURRENTLY after the (qualified, quoted) partition name', () => {
    const sql = 'ALTER TABLE app.events DETACH PARTITION app."Events 2023";';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe('ALTER TABLE app.events DETACH PARTITION app."Events 2023" CONCURRENTLY;');
    expect(hits(fixed)).toHaveLength(0);
    expect(only(lintText(fixed), 'syntax-error')).toHaveLength(0);
  });

  it('goose: adds CONCURRENTLY and NO TRANSACTION; the round trip is clean', () => {
    const root = writeFolder({
      '001_events.sql':
        "-- +goose Up\nCREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE e1 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');\n",
      '002_detach.sql': '-- +goose Up\nALTER TABLE events DETACH PARTITION e1;\nDROP TABLE e1;\n',
    });
    const after = roundTripFolder(root, RULE);
    const text = readFileSync(join(root, '002_detach.sql'), 'utf8');
    expect(text).toBe(
      '-- +goose NO TRANSACTION\n-- +goose Up\nALTER TABLE events DETACH PARTITION e1 CONCURRENTLY;\nDROP TABLE e1;\n',
    );
    expect(only(after, 'ban-concurrent-index-creation-in-transaction')).toHaveLength(0);
  });

  it('golang-migrate with more statements: the detach moves to a migration of its own', () => {
    const root = writeFolder({
      '000001_events.up.sql':
        'CREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE e1 PARTITION OF events FOR VALUES FROM (1) TO (2);\n',
      '000001_events.down.sql': 'DROP TABLE events;\n',
      '000002_detach.up.sql':
        'ALTER TABLE events DETACH PARTITION e1;\nALTER TABLE e1 ADD COLUMN note text;\n',
      '000002_detach.down.sql': 'ALTER TABLE e1 DROP COLUMN note;\n',
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '000003_detach_concurrently.up.sql'), 'utf8')).toBe(
      'ALTER TABLE events DETACH PARTITION e1 CONCURRENTLY;\n',
    );
    expect(readFileSync(join(root, '000002_detach.up.sql'), 'utf8')).toBe(
      'ALTER TABLE e1 ADD COLUMN note text;\n',
    );
  });

  it('offers no fix when the parent has a default partition (PostgreSQL refuses a concurrent detach)', () => {
    const root = writeFolder({
      '001_events.sql':
        '-- UP\nCREATE TABLE events (at int) PARTITION BY RANGE (at);\nCREATE TABLE e_default PARTITION OF events DEFAULT;\nCREATE TABLE e1 PARTITION OF events FOR VALUES FROM (1) TO (2);\n-- DOWN\n',
      '002_detach.sql': '-- UP no-transaction\nALTER TABLE events DETACH PARTITION e1;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.help).toContain('has a default partition (e_default)');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
