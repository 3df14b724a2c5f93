import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RULE = 'require-concurrent-refresh-matview';

beforeAll(() => initParser());

const VIEW =
  '-- UP\nCREATE MATERIALIZED VIEW stats AS SELECT 1 AS id, 2 AS n;\n-- DOWN\nDROP MATERIALIZED VIEW stats;\n';

describe(RULE, () => {
  it('flags REFRESH without CONCURRENTLY; with a unique index known, the fix adds it', () => {
    const root = writeFolder({
      '001_view.sql': VIEW,
      '002_idx.sql': '-- UP\nCREATE UNIQUE INDEX stats_id ON stats (id);\n-- DOWN\n',
      '003_refresh.sql': '-- UP\nREFRESH MATERIALIZED VIEW stats;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Refreshing stats without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on it while its query runs again: every read of stats waits until the refresh ends.',
    );
    expect(v.help).toContain('uses the unique index stats_id');
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '003_refresh.sql'), 'utf8')).toBe(
      '-- UP\nREFRESH MATERIALIZED VIEW CONCURRENTLY stats;\n-- DOWN\n',
    );
  });

  it('advises without a fix when no usable unique index is known', () => {
    const root = writeFolder({
      '001_view.sql': VIEW,
      '002_idx.sql':
        '-- UP\nCREATE UNIQUE INDEX stats_pos ON stats (id) WHERE n > 0;\nCREATE UNIQUE INDEX stats_expr ON stats ((id + 1));\n-- DOWN\n',
      '003_refresh.sql': '-- UP\nREFRESH MATERIALIZED VIEW stats;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.help).toContain('has no unique index on plain columns without a WHERE clause');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('after dynamic SQL the unique index is not certain: advice, no fix', () => {
    const root = writeFolder({
      '001_view.sql': VIEW,
      '002_idx.sql': '-- UP\nCREATE UNIQUE INDEX stats_id ON stats (id);\n-- DOWN\n',
      '003_dyn.sql': "-- UP\nDO $$ BEGIN EXECUTE 'DROP INDEX stats_id'; END $$;\n-- DOWN\n",
      '004_refresh.sql': '-- UP\nREFRESH MATERIALIZED VIEW stats;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.help).toContain('cannot be sure stats still has the unique index');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('a view created WITH NO DATA cannot be refreshed CONCURRENTLY the first time', () => {
    const root = writeFolder({
      '001_view.sql':
        '-- UP\nCREATE MATERIALIZED VIEW stats AS SELECT 1 AS id WITH NO DATA;\nCREATE UNIQUE INDEX stats_id ON stats (id);\n-- DOWN\n',
      '002_refresh.sql': '-- UP\nREFRESH MATERIALIZED VIEW stats;\n-- DOWN\n',
      '003_refresh.sql': '-- UP\nREFRESH MATERIALIZED VIEW stats;\n-- DOWN\n',
    });
    const [first, second] = only(lintDir(root).violations, RULE);
    expect(first.help).toContain('created WITH NO DATA');
    expect(first.fixes.some((f) => f.preferred)).toBe(false);
    expect(second.fixes.some((f) => f.preferred)).toBe(true);
  });

  it('accepts CONCURRENTLY, WITH NO DATA and views created in the same migration; unknown views get advice', () => {
    const hits = (sql: string) => only(lintText(sql), RULE);
    expect(hits('REFRESH MATERIALIZED VIEW CONCURRENTLY stats;')).toHaveLength(0);
    expect(hits('REFRESH MATERIALIZED VIEW stats WITH NO DATA;')).toHaveLength(0);
    expect(
      hits('CREATE MATERIALIZED VIEW s AS SELECT 1;\nREFRESH MATERIALIZED VIEW s;'),
    ).toHaveLength(0);
    const [v] = hits('REFRESH MATERIALIZED VIEW app.stats;');
    expect(v.help).toContain('pgmig does not know app.stats');
  });
});
