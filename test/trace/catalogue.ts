/**
 * The hazard catalogue of anchors.md section (b) as trace cases: a base schema, then one statement
 * per case with the table locks, rewrites and scans PostgreSQL 15 was measured to take.
 */
import type { LockMode } from '../../server/src/linter/statementFacts';

export const BASE_SCHEMA = `
CREATE TABLE users (id int PRIMARY KEY, email varchar(50), name varchar(50), age int,
  price numeric(10,2), created timestamp, code text NOT NULL DEFAULT 'x');
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE orders (id int PRIMARY KEY, user_id int);
CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 (id int, at date);
CREATE MATERIALIZED VIEW user_names AS SELECT id, code FROM users;
CREATE UNIQUE INDEX user_names_id ON user_names (id);
ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
INSERT INTO users (id, email, name, age, price, created)
  SELECT g, 'e' || g, 'n' || g, g, g, now() FROM generate_series(1, 100) g;
INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g;
REFRESH MATERIALIZED VIEW user_names;
`;

export interface HazardCase {
  name: string;
  sql: string;
  /** Strongest lock on each existing table-like relation, as anchors.md (b) documents. */
  locks: Record<string, LockMode>;
  /** Locks on indexes that the catalogue names (REINDEX, DROP INDEX). */
  indexLocks?: Record<string, LockMode>;
  rewritten?: string[];
  notRewritten?: boolean;
  scanned?: string[];
  notScanned?: boolean;
  /** Runs outside a transaction block (dbmate transaction:false). */
  outside?: boolean;
}

const AE: LockMode = 'ACCESS EXCLUSIVE';

export const HAZARDS: HazardCase[] = [
  // H1
  {
    name: 'CREATE INDEX',
    sql: 'CREATE INDEX users_name_idx ON users (name)',
    locks: { 'public.users': 'SHARE' },
    scanned: ['public.users'],
    notRewritten: true,
  },
  {
    name: 'CREATE INDEX CONCURRENTLY',
    sql: 'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)',
    locks: { 'public.users': 'SHARE UPDATE EXCLUSIVE' },
    outside: true,
  },
  // H2
  {
    name: 'DROP INDEX',
    sql: 'DROP INDEX users_email_idx',
    locks: { 'public.users': AE },
    indexLocks: { 'public.users_email_idx': AE },
  },
  {
    name: 'REINDEX TABLE',
    sql: 'REINDEX TABLE users',
    locks: { 'public.users': 'SHARE' },
    indexLocks: { 'public.users_pkey': AE, 'public.users_email_idx': AE },
    rewritten: ['public.users_pkey', 'public.users_email_idx'],
  },
  {
    name: 'ATTACH PARTITION',
    sql: "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    locks: { 'public.events': 'SHARE UPDATE EXCLUSIVE', 'public.events_2025': AE },
  },
  {
    name: 'DETACH PARTITION',
    sql: 'ALTER TABLE events DETACH PARTITION events_2024',
    locks: { 'public.events': AE, 'public.events_2024': AE },
  },
  {
    name: 'CLUSTER',
    sql: 'CLUSTER users USING users_pkey',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  { name: 'VACUUM FULL', sql: 'VACUUM FULL users', locks: { 'public.users': AE }, outside: true },
  {
    name: 'REFRESH MATERIALIZED VIEW',
    sql: 'REFRESH MATERIALIZED VIEW user_names',
    locks: { 'public.user_names': AE },
  },
  {
    name: 'REFRESH MATERIALIZED VIEW CONCURRENTLY',
    sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY user_names',
    locks: { 'public.user_names': 'EXCLUSIVE' },
  },
  // H3
  {
    name: 'ADD FOREIGN KEY',
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)',
    locks: { 'public.orders': 'SHARE ROW EXCLUSIVE', 'public.users': 'SHARE ROW EXCLUSIVE' },
    scanned: ['public.orders'],
    notRewritten: true,
  },
  {
    name: 'ADD FOREIGN KEY NOT VALID',
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
    locks: { 'public.orders': 'SHARE ROW EXCLUSIVE', 'public.users': 'SHARE ROW EXCLUSIVE' },
    notScanned: true,
  },
  // H4
  {
    name: 'ADD CHECK',
    sql: 'ALTER TABLE users ADD CONSTRAINT users_price_check CHECK (price > 0)',
    locks: { 'public.users': AE },
    scanned: ['public.users'],
  },
  {
    name: 'ADD CHECK NOT VALID',
    sql: 'ALTER TABLE users ADD CONSTRAINT users_price_check CHECK (price > 0) NOT VALID',
    locks: { 'public.users': AE },
    notScanned: true,
  },
  {
    name: 'VALIDATE CONSTRAINT',
    sql: 'ALTER TABLE users VALIDATE CONSTRAINT users_age_check',
    locks: { 'public.users': 'SHARE UPDATE EXCLUSIVE' },
    scanned: ['public.users'],
  },
  // H5
  {
    name: 'SET NOT NULL',
    sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
    locks: { 'public.users': AE },
    scanned: ['public.users'],
    notRewritten: true,
  },
  // H6
  {
    name: 'ADD COLUMN DEFAULT 0',
    sql: 'ALTER TABLE users ADD COLUMN a1 int NOT NULL DEFAULT 0',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'ADD COLUMN DEFAULT now()',
    sql: 'ALTER TABLE users ADD COLUMN a2 timestamptz DEFAULT now()',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'ADD COLUMN volatile DEFAULT',
    sql: 'ALTER TABLE users ADD COLUMN a3 uuid DEFAULT gen_random_uuid()',
    locks: { 'public.users': AE },
    rewritten: ['public.users', 'public.users_pkey', 'public.users_email_idx'],
  },
  // H8
  {
    name: 'ADD COLUMN bigserial',
    sql: 'ALTER TABLE users ADD COLUMN a6 bigserial',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  {
    name: 'ADD COLUMN identity',
    sql: 'ALTER TABLE users ADD COLUMN a7 bigint GENERATED ALWAYS AS IDENTITY',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  {
    name: 'ADD COLUMN generated stored',
    sql: 'ALTER TABLE users ADD COLUMN a8 int GENERATED ALWAYS AS (age * 2) STORED',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  // H9
  {
    name: 'int → bigint',
    sql: 'ALTER TABLE users ALTER COLUMN age TYPE bigint',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  {
    name: 'varchar → text',
    sql: 'ALTER TABLE users ALTER COLUMN name TYPE text',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'varchar(50) → varchar(100)',
    sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(100)',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'varchar(50) → varchar(10)',
    sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(10)',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  {
    name: 'numeric(10,2) → numeric(12,2)',
    sql: 'ALTER TABLE users ALTER COLUMN price TYPE numeric(12,2)',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'numeric(10,2) → numeric(12,4)',
    sql: 'ALTER TABLE users ALTER COLUMN price TYPE numeric(12,4)',
    locks: { 'public.users': AE },
    rewritten: ['public.users'],
  },
  // H10, H11
  {
    name: 'RENAME COLUMN',
    sql: 'ALTER TABLE users RENAME COLUMN email TO email_address',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'RENAME TABLE',
    sql: 'ALTER TABLE orders RENAME TO purchases',
    locks: { 'public.orders': AE },
  },
  {
    name: 'DROP COLUMN',
    sql: 'ALTER TABLE users DROP COLUMN age',
    locks: { 'public.users': AE },
    notRewritten: true,
  },
  {
    name: 'DROP NOT NULL',
    sql: 'ALTER TABLE users ALTER COLUMN code DROP NOT NULL',
    locks: { 'public.users': AE },
  },
  {
    name: 'SET DEFAULT',
    sql: "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x'",
    locks: { 'public.users': AE },
  },
  { name: 'DROP TABLE', sql: 'DROP TABLE orders', locks: { 'public.orders': AE } },
  // other rows of the measured table
  {
    name: 'ADD UNIQUE',
    sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)',
    locks: { 'public.users': AE },
  },
  {
    name: 'TRUNCATE',
    sql: 'TRUNCATE orders',
    locks: { 'public.orders': AE },
    rewritten: ['public.orders'],
  },
  {
    name: 'CREATE TRIGGER',
    sql: 'CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()',
    locks: { 'public.users': 'SHARE ROW EXCLUSIVE' },
  },
  {
    name: 'SET (fillfactor)',
    sql: 'ALTER TABLE users SET (fillfactor = 70)',
    locks: { 'public.users': 'SHARE UPDATE EXCLUSIVE' },
  },
  {
    name: 'COMMENT ON TABLE',
    sql: "COMMENT ON TABLE users IS 'people'",
    locks: { 'public.users': 'SHARE UPDATE EXCLUSIVE' },
  },
  {
    name: 'SET STATISTICS',
    sql: 'ALTER TABLE users ALTER COLUMN name SET STATISTICS 500',
    locks: { 'public.users': 'SHARE UPDATE EXCLUSIVE' },
  },
];
