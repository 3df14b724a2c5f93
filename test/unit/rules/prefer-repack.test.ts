import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';

const RULE = 'prefer-repack';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags VACUUM FULL and CLUSTER on existing tables (rewrite under ACCESS EXCLUSIVE)', () => {
    const [v] = hits('VACUUM FULL events;');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'VACUUM FULL rewrites events and rebuilds the indexes under an ACCESS EXCLUSIVE lock: no query can read or write it until the copy is done.',
    );
    expect(hits('VACUUM (FULL, ANALYZE) events;')).toHaveLength(1);
    expect(hits('CLUSTER events USING events_at_idx;')[0].message).toContain(
      'CLUSTER rewrites events',
    );
  });

  it('flags the database-wide forms', () => {
    expect(hits('VACUUM FULL;')[0].message).toContain('rewrites every table of the database');
    expect(hits('CLUSTER;')[0].message).toContain('rewrites every table clustered before');
  });

  it('accepts plain VACUUM, FULL false, and tables created in the same migration', () => {
    expect(hits('VACUUM events;')).toHaveLength(0);
    expect(hits('VACUUM (ANALYZE) events;')).toHaveLength(0);
    expect(hits('VACUUM (FULL false) events;')).toHaveLength(0);
    expect(hits('CREATE TABLE t (a int);\nCLUSTER t USING t_pkey;')).toHaveLength(0);
  });

  it('suggests pg_repack before PostgreSQL 19 and REPACK (CONCURRENTLY) from 19; no text fix', () => {
    const [old] = hits('VACUUM FULL events;', { pgVersion: 16 });
    expect(old.help).toContain('pg_repack or pg_squeeze');
    const [v19] = hits('VACUUM FULL events;', { pgVersion: 19 });
    expect(v19.help).toContain('Use REPACK (CONCURRENTLY)');
    expect(v19.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
  });
});
