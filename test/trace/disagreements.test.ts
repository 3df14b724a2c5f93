/**
 * Statements where the linter's static verdict (statementFacts.tableLocks) and the measurement
 * once disagreed. Most now agree (the verdict was corrected from these measurements; its unit test
 * is test/unit/trace/statement-facts.test.ts). The rest depend on foreign keys the statement does
 * not name, which a statement-only verdict cannot see: the trace must report them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { applyUp } from '../../server/src/trace/replay';
import { openScratch, type Scratch } from '../../server/src/trace/scratch';
import { traceSection } from '../../server/src/trace/traceSection';
import type { StatementTrace } from '../../server/src/trace/types';
import { BASE_SCHEMA } from './catalogue';
import { dbmate, requireServer, serverConnection } from './helpers';

const EXTRA_SCHEMA = `
CREATE TABLE payments (id int PRIMARY KEY, user_id int CONSTRAINT payments_user_fk REFERENCES users (id));
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY users_all ON users USING (true);
CREATE RULE orders_noop AS ON DELETE TO orders DO ALSO NOTHING;
CREATE VIEW user_ids AS SELECT id FROM users;
`;

const AE = 'ACCESS EXCLUSIVE';
const SRE = 'SHARE ROW EXCLUSIVE';
const SUE = 'SHARE UPDATE EXCLUSIVE';

/** Measured on PostgreSQL 15.20 and 18.6; the static verdict now says the same. */
const NOW_AGREE: Array<[string, Record<string, string>]> = [
  ['LOCK TABLE orders', { 'public.orders': AE }],
  ['LOCK TABLE orders IN SHARE MODE', { 'public.orders': 'SHARE' }],
  ['CREATE TABLE t2 (id int REFERENCES users (id))', { 'public.users': SRE }],
  [
    'ALTER TABLE orders ADD COLUMN owner int REFERENCES users (id)',
    { 'public.orders': AE, 'public.users': SRE },
  ],
  ['CREATE POLICY p ON users USING (true)', { 'public.users': AE }],
  ['ALTER POLICY users_all ON users USING (false)', { 'public.users': AE }],
  ['DROP POLICY users_all ON users', { 'public.users': AE }],
  [
    "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
    { 'public.events': AE },
  ],
  ['CREATE TABLE kid (x int) INHERITS (orders)', { 'public.orders': SUE }],
  ['CREATE RULE r AS ON INSERT TO orders DO INSTEAD NOTHING', { 'public.orders': AE }],
  ['DROP RULE orders_noop ON orders', { 'public.orders': AE }],
  ['DROP TRIGGER orders_touch ON orders', { 'public.orders': AE }],
  ['DROP VIEW user_ids', { 'public.user_ids': AE }],
  ['DROP MATERIALIZED VIEW user_names', { 'public.user_names': AE }],
  ['CREATE STATISTICS s ON age, price FROM users', { 'public.users': SUE }],
  ["COMMENT ON TABLE users IS 'people'", { 'public.users': SUE }],
  ["COMMENT ON COLUMN users.email IS 'mail'", { 'public.users': SUE }],
];

/** The referenced table of a dropped foreign key is locked ACCESS EXCLUSIVE (its triggers go). */
const STILL_DIFFER: Array<[string, Record<string, string>, string[]]> = [
  ['DROP TABLE payments', { 'public.payments': AE, 'public.users': AE }, ['public.users']],
  [
    'ALTER TABLE payments DROP CONSTRAINT payments_user_fk',
    { 'public.payments': AE, 'public.users': AE },
    ['public.users'],
  ],
  [
    'ALTER TABLE payments DROP COLUMN user_id',
    { 'public.payments': AE, 'public.users': AE },
    ['public.users'],
  ],
  [
    'DROP TABLE users CASCADE',
    { 'public.users': AE, 'public.payments': AE, 'public.user_names': AE, 'public.user_ids': AE },
    ['public.payments', 'public.user_names', 'public.user_ids'],
  ],
];

const KINDS = new Set(['table', 'partitioned table', 'materialized view', 'view']);

function modes(t: StatementTrace): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of t.locks)
    if (
      l.existing &&
      l.taken &&
      KINDS.has(l.kind) &&
      l.mode !== 'ACCESS SHARE' &&
      l.mode !== 'ROW SHARE'
    )
      out[l.relation] = l.mode;
  return out;
}

describe.each([
  ['embedded PostgreSQL (PGlite)', false],
  ['PostgreSQL server', true],
])('static verdict against measurement on %s', (_name, onServer) => {
  let scratch: Scratch;
  const trace = async (sql: string, outside = false) => {
    const text = outside
      ? `-- migrate:up transaction:false\n${sql};\n-- migrate:down\n`
      : dbmate(`${sql};`);
    const m = loadSingleFile('/virtual/case.sql', text);
    const [t] = (await traceSection(scratch, m, m.sections[0])).statements;
    expect(t.status, t.error?.message).toBe('traced');
    return t;
  };
  beforeAll(async () => {
    await initParser();
    if (onServer) await requireServer();
    scratch = await openScratch(onServer ? serverConnection() : undefined);
    await applyUp(
      scratch.client,
      loadSingleFile('/virtual/base.sql', dbmate(BASE_SCHEMA + EXTRA_SCHEMA)),
    );
  });
  afterAll(async () => scratch?.close());

  for (const [sql, expected] of NOW_AGREE)
    it(`agrees: ${sql}`, async () => {
      const t = await trace(sql);
      expect(modes(t)).toEqual(expected);
      expect(t.disagreements).toEqual([]);
    });

  for (const [sql, expected, unseen] of STILL_DIFFER)
    it(`reported: ${sql}`, async () => {
      const t = await trace(sql);
      expect(modes(t)).toEqual(expected);
      expect(t.disagreements.map((d) => d.relation).sort()).toEqual([...unseen].sort());
      for (const d of t.disagreements) {
        expect(d.measured).toBe(AE);
        expect(d.predicted).toBeUndefined();
        expect(d.message).toContain('which the static verdict does not predict');
      }
      expect(t.hover).toContain('Differs from the static verdict');
    });

  it.runIf(onServer)(
    'agrees: DETACH PARTITION CONCURRENTLY (second transaction locks the partition)',
    async () => {
      const t = await trace('ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY', true);
      expect(t.transaction).toBe('outside');
      expect(modes(t)).toEqual({ 'public.events': SUE, 'public.events_2024': AE });
      expect(t.disagreements).toEqual([]);
    },
  );
});
