/**
 * Proof by execution of generated DOWN migrations, on the embedded database (PGlite, PostgreSQL
 * 18): a project's migrations are replayed in runner order; around each UP the schema is
 * snapshotted, the generated DOWN applied (it must give the first snapshot back), the UP applied
 * again (it must give the second back), and the hand-written DOWN, where there is one, checked the
 * same way. Each migration runs in a transaction and the DOWNs under a savepoint rolled back
 * afterwards, so the replay continues from exactly what the UP made.
 *
 * Differences from the runner, all without effect on the schema: CONCURRENTLY is dropped (it cannot
 * run in a transaction block), VACUUM / ANALYZE and the file's own BEGIN / COMMIT are skipped, and
 * roles the migrations grant to (but never create) are created first.
 */
import { PGlite, type Extension } from '@electric-sql/pglite';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateDown } from '../../server/src/downgen/generate';
import { renderDown } from '../../server/src/downgen/render';
import type { DownPlan } from '../../server/src/downgen/types';
import { loadFolder } from '../../server/src/folder/load';
import type { Migration, Section } from '../../server/src/folder/model';
import { walkAst } from '../../server/src/parser/ast';
import { initParser, parseSql, type Statement } from '../../server/src/parser/parse';
import { applyStatement } from '../../server/src/schema/apply';
import { Catalog } from '../../server/src/schema/catalog';
import { TextIndex } from '../../server/src/text/positions';
import { diffSnapshots } from '../../server/src/verify/diff';
import { takeSnapshot, type Snapshot } from '../../server/src/verify/snapshot';

export interface MigrationResult {
  label: string;
  /** Why the UP did not apply (the replay goes on without it). */
  upError?: string;
  /** The UP applied, but only outside a transaction: not proven. */
  unproven?: string;
  schemaChanged?: boolean;
  /** The generator undid every statement (no TODO). */
  reversible?: boolean;
  /** First lines of the generated DOWN's TODOs. */
  todos?: string[];
  /** Generated DOWN gave the schema before the UP back. */
  generatedRestores?: boolean;
  generatedProblem?: string;
  /** The UP applies again after the generated DOWN and gives the same schema. */
  reapplies?: boolean;
  hasHandDown: boolean;
  handRestores?: boolean;
  handProblem?: string;
}

export interface ProjectResult {
  project: string;
  format: string;
  migrations: MigrationResult[];
  ms: number;
}

export interface ProofOptions {
  /** Stop after this many migrations (the test tier's bounded subset). */
  limit?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

const CONTRIB = new Set(
  'amcheck auto_explain bloom btree_gin btree_gist citext cube dict_int dict_xsyn earthdistance file_fdw fuzzystrmatch hstore intarray isn lo ltree moddatetime pageinspect pg_buffercache pg_stat_statements pg_surgery pg_trgm pg_visibility pg_walinspect pgcrypto seg tablefunc tcn tsm_system_rows tsm_system_time unaccent uuid_ossp'.split(
    ' ',
  ),
);

/** Text substitutions some projects' migrators apply before running (supabase/auth's template). */
const RENDER: Array<[RegExp, string]> = [[/\{\{\s*index \.Options "Namespace"\s*\}\}/g, 'auth']];

function overlayFor(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sql')) {
        const text = readFileSync(p, 'utf8');
        let rendered = text;
        for (const [re, to] of RENDER) rendered = rendered.replace(re, to);
        if (rendered !== text) out.set(p, rendered);
      }
    }
  };
  walk(root);
  return out;
}

/**
 * What the runner's environment provides before the first migration: golang-migrate's history
 * table (harbor's migrations alter it), the schema supabase/auth's migrator is given.
 */
function environment(project: string, format: string): string[] {
  const out: string[] = [];
  if (format === 'golang-migrate')
    out.push(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)',
    );
  if (project.startsWith('supabase__auth')) out.push('CREATE SCHEMA IF NOT EXISTS auth');
  return out;
}

/** Roles the migrations refer to without creating them, and the extensions they create. */
function prerequisites(migrations: Migration[]): { roles: string[]; extensions: string[] } {
  const used = new Set<string>();
  const created = new Set<string>();
  const extensions = new Set<string>();
  const all = migrations.flatMap((m) => m.sections.flatMap((x) => x.parsed.statements));
  for (const s of all) {
    if (s.kind === 'CreateRoleStmt') created.add(s.ast.role);
    if (s.kind === 'CreateExtensionStmt') extensions.add(String(s.ast.extname).replace(/-/g, '_'));
    if (s.kind === 'VariableSetStmt' && s.ast.name === 'role') {
      const v = s.ast.args?.[0]?.A_Const?.sval?.sval;
      if (v) used.add(v);
    }
    walkAst(s.ast, (_k, v) => {
      if (v?.roletype === 'ROLESPEC_CSTRING' && typeof v.rolename === 'string')
        used.add(v.rolename);
    });
  }
  return {
    roles: [...used].filter((r) => !created.has(r)),
    extensions: [...extensions].filter((e) => CONTRIB.has(e)),
  };
}

async function openDatabase(extensions: string[]): Promise<PGlite> {
  const loaded: Record<string, Extension> = {};
  for (const e of extensions) {
    const mod = (await import(`@electric-sql/pglite/contrib/${e}`)) as Record<string, Extension>;
    loaded[e] = mod[e];
  }
  return PGlite.create({ extensions: loaded });
}

const SKIP = new Set(['TransactionStmt', 'VacuumStmt']);

/** The statement as the proof runs it inside a transaction, or undefined to skip it. */
function runnable(s: Statement): string | undefined {
  if (SKIP.has(s.kind)) return undefined;
  const concurrent =
    s.ast.concurrent ||
    (s.kind === 'ReindexStmt' && /\bconcurrently\b/i.test(s.text)) ||
    (s.kind === 'AlterTableStmt' && /\bdetach\s+partition\b[^;]*\bconcurrently\b/i.test(s.text));
  return concurrent ? s.text.replace(/\bconcurrently\b/i, '') : s.text;
}

async function run(db: PGlite, statements: Statement[]): Promise<void> {
  for (const s of statements) {
    const sql = runnable(s);
    if (sql !== undefined) await db.exec(sql);
  }
}

function message(e: unknown): string {
  return ((e as Error)?.message ?? String(e)).split('\n')[0];
}

function statementsOf(sections: Section[]): Statement[] {
  return sections.flatMap((s) => s.parsed.statements);
}

function parse(text: string): Statement[] {
  const r = parseSql(new TextIndex(text));
  if (r.errors.length) throw new Error(`generated DOWN does not parse: ${r.errors[0].message}`);
  return r.statements;
}

/** Applies `statements` under a savepoint and compares the schema with `expected`. */
async function tryDown(
  db: PGlite,
  statements: Statement[],
  expected: Snapshot,
): Promise<{ restores: boolean; problem?: string }> {
  try {
    await run(db, statements);
  } catch (e) {
    return { restores: false, problem: `fails: ${message(e)}` };
  }
  const diff = diffSnapshots(expected, await takeSnapshot(db));
  if (diff.length === 0) return { restores: true };
  const more = diff.length > 3 ? ` (+${diff.length - 3} more)` : '';
  return {
    restores: false,
    problem: diff
      .slice(0, 3)
      .map((d) => d.message)
      .join('; ')
      .concat(more),
  };
}

async function proveMigration(
  db: PGlite,
  m: Migration,
  catalog: Catalog,
  before: Snapshot,
): Promise<{ result: MigrationResult; after: Snapshot }> {
  const up = statementsOf(m.sections.filter((s) => s.kind === 'up'));
  const hand = m.sections.filter((s) => s.kind === 'down');
  const result: MigrationResult = { label: m.label, hasHandDown: hand.length > 0 };
  let plan: DownPlan;
  try {
    plan = generateDown(up, catalog, { migrationId: m.id });
  } catch (e) {
    // a generator bug is a finding of the proof, not the end of it
    plan = {
      items: [{ todo: `generator failed: ${message(e)}` }],
      complete: false,
      noTransaction: false,
    };
  }
  result.reversible = plan.complete;
  result.todos = plan.items.filter((i) => i.todo).map((i) => i.todo!.split('\n')[0]);
  await db.exec('BEGIN');
  try {
    await run(db, up);
  } catch (e) {
    await db.exec('ROLLBACK');
    return {
      result: await outsideTransaction(db, up, result, message(e)),
      after: await takeSnapshot(db),
    };
  }
  const after = await takeSnapshot(db);
  result.schemaChanged = diffSnapshots(before, after).length > 0;
  await db.exec('SAVEPOINT generated');
  try {
    const down = parse(renderDown(plan, m.format));
    const g = await tryDown(db, down, before);
    result.generatedRestores = g.restores;
    result.generatedProblem = g.problem;
    if (g.restores) {
      try {
        await run(db, up);
        result.reapplies = diffSnapshots(after, await takeSnapshot(db)).length === 0;
      } catch {
        result.reapplies = false;
      }
    }
  } catch (e) {
    result.generatedRestores = false;
    result.generatedProblem = message(e);
  }
  await db.exec('ROLLBACK TO SAVEPOINT generated');
  if (hand.length > 0) {
    await db.exec('SAVEPOINT hand');
    const h = await tryDown(db, statementsOf(hand), before);
    result.handRestores = h.restores;
    result.handProblem = h.problem;
    await db.exec('ROLLBACK TO SAVEPOINT hand');
  }
  await db.exec('COMMIT');
  return { result, after };
}

/**
 * An UP that fails inside a transaction may need to run outside one (a new enum value used by the
 * same migration): it is applied statement by statement. One that needs an extension PGlite does
 * not ship is applied without that extension, so the migrations after it can still be proven.
 * Either way its own DOWN is not proven.
 */
async function outsideTransaction(
  db: PGlite,
  up: Statement[],
  result: MigrationResult,
  error: string,
): Promise<MigrationResult> {
  if (/unsafe use of new value|cannot run inside a transaction block/i.test(error)) {
    try {
      await run(db, up);
      return { ...result, unproven: `runs only outside a transaction: ${error}` };
    } catch (e) {
      return { ...result, upError: message(e) };
    }
  }
  const missing = new Set<string>();
  let last = error;
  for (let m = /extension "([^"]+)" is not available/.exec(last); m;) {
    missing.add(m[1]);
    const kept = up.filter(
      (s) => !(s.kind === 'CreateExtensionStmt' && missing.has(s.ast.extname)),
    );
    await db.exec('BEGIN');
    try {
      await run(db, kept);
      await db.exec('COMMIT');
      return {
        ...result,
        unproven: `applied without extension ${[...missing].join(', ')}, which PGlite does not ship`,
      };
    } catch (e) {
      await db.exec('ROLLBACK');
      last = message(e);
      m = /extension "([^"]+)" is not available/.exec(last);
      if (m && missing.has(m[1])) break;
    }
  }
  return { ...result, upError: last };
}

export function proveFolder(
  root: string,
  project: string,
  options: ProofOptions = {},
): Promise<ProjectResult> {
  return proveFolders([root], project, options);
}

/**
 * Several folders of one project replayed on one database (supabase/postgres keeps init scripts
 * and migrations apart; dbmate applies both in version order).
 */
export async function proveFolders(
  roots: string[],
  project: string,
  options: ProofOptions = {},
): Promise<ProjectResult> {
  const t0 = performance.now();
  await initParser();
  const folders = roots.map((root) => loadFolder(root, { overlay: overlayFor(root) }));
  const format = folders[0]?.format ?? 'unknown';
  const all = folders.flatMap((f) => f.migrations.map((m) => ({ m, root: f.root })));
  if (format === 'dbmate' && folders.every((f) => f.format === 'dbmate'))
    all.sort((a, b) => (a.m.version < b.m.version ? -1 : a.m.version > b.m.version ? 1 : 0));
  const { roles, extensions } = prerequisites(all.map((x) => x.m));
  const db = await openDatabase(extensions);
  try {
    for (const sql of environment(project, format)) await db.exec(sql);
    const existing = new Set(
      (await db.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).rows.map(
        (r) => r.rolname,
      ),
    );
    for (const r of roles)
      if (!existing.has(r)) await db.exec(`CREATE ROLE "${r.replace(/"/g, '""')}" NOLOGIN`);
    const catalog = new Catalog();
    const migrations: MigrationResult[] = [];
    let snapshot = await takeSnapshot(db);
    const list = all.slice(0, options.limit ?? all.length);
    for (const { m, root } of list) {
      const { result, after } = await proveMigration(db, m, catalog, snapshot);
      migrations.push(result);
      snapshot = after;
      // the model follows what ran: an UP the database refused is left out of it too
      if (!result.upError)
        for (const s of m.sections)
          if (s.kind === 'up')
            for (const st of s.parsed.statements) applyStatement(catalog, st, m.id);
      options.log?.(
        `${project} ${relative(root, m.files[0]?.path ?? m.label)}: ${summary(result)}`,
      );
    }
    return { project, format, migrations, ms: performance.now() - t0 };
  } finally {
    await db.close();
  }
}

function summary(r: MigrationResult): string {
  if (r.upError) return `UP fails: ${r.upError}`;
  if (r.unproven) return r.unproven;
  const g = r.generatedRestores
    ? 'generated restores'
    : `generated does not restore: ${r.generatedProblem}`;
  const h = !r.hasHandDown
    ? ''
    : r.handRestores
      ? '; hand-written restores'
      : `; hand-written does not: ${r.handProblem}`;
  return g + h;
}

/** Why a migration's schema change is not restored by its generated DOWN, in a few words. */
export function reasonOf(r: MigrationResult): string | undefined {
  if (r.upError) return `UP does not apply on PGlite: ${shorten(r.upError)}`;
  if (r.unproven) return 'UP runs only outside a transaction (not proven)';
  if (r.generatedRestores) return undefined;
  const todo = r.todos?.[0];
  if (todo) return `TODO: ${todoKind(todo)}`;
  return `generated DOWN ${shorten(r.generatedProblem ?? 'does not restore')}`;
}

const TODO_KINDS: Array<[RegExp, string]> = [
  [/cannot remove the value/, 'enum value added (PostgreSQL cannot drop it)'],
  [/data changes cannot be undone/, 'data change (INSERT/UPDATE/DELETE)'],
  [/DROP (COLUMN|TABLE|SCHEMA) cannot be undone/, 'dropped data (recreated empty)'],
  [/DO block/, 'DO block (procedural code)'],
  [/calls .*function/, 'function call with unknown effects'],
  [/earlier owner/, 'OWNER TO (earlier owner unknown)'],
  [/privileges held before/, 'REVOKE on an object the model does not know'],
  [/schema model does not know/, 'object the schema model does not know exactly'],
  [/earlier comment/, 'comment on an object the model does not know'],
];

function todoKind(todo: string): string {
  for (const [re, label] of TODO_KINDS) if (re.test(todo)) return label;
  return shorten(todo.replace(/^pgmig cannot undo /, 'cannot undo: '));
}

function shorten(s: string, n = 90): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
