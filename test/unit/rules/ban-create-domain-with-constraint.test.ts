import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';

const RULE = 'ban-create-domain-with-constraint';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags CHECK and NOT NULL on a new domain', () => {
    const sql = 'CREATE DOMAIN positive AS numeric(15,5) CHECK (VALUE > 0);';
    const [v] = hits(sql);
    expect(v.severity).toBe('info');
    expect(sql.slice(v.start, v.end)).toBe('CHECK (VALUE > 0)');
    expect(v.message).toContain('Domain positive has CHECK constraints');
    const [both] = hits('CREATE DOMAIN d AS int NOT NULL CHECK (VALUE > 0);');
    expect(both.message).toContain('NOT NULL and CHECK');
    expect(both.message).toContain("a domain's NOT NULL does not stop NULLs");
  });

  it('leaves domains without constraints, NULL, defaults and DOWN sections alone', () => {
    expect(hits('CREATE DOMAIN d AS text;')).toHaveLength(0);
    expect(hits("CREATE DOMAIN d AS text NULL DEFAULT 'x';")).toHaveLength(0);
    expect(
      hits('-- UP\nDROP DOMAIN d;\n-- DOWN\nCREATE DOMAIN d AS int CHECK (VALUE > 0);\n'),
    ).toHaveLength(0);
  });

  it('offers only the ignore comment', () => {
    const [v] = hits('CREATE DOMAIN d AS int CHECK (VALUE > 0);');
    expect(v.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
  });
});
