/**
 * Which files the language server lints: glob patterns as editors write them, and migration
 * folders found the way `pgmig lint` finds them.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../../server/src/lsp/globs';
import { ConfigCache } from '../../../server/src/lsp/configs';
import { ScopeResolver } from '../../../server/src/lsp/scope';
import { sanitizeSettings } from '../../../server/src/lsp/editorSettings';
import { DEFAULT_EDITOR_SETTINGS } from '../../../server/src/protocol/server';
import { writeFolder } from '../helpers/lint';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined };

describe('globMatcher', () => {
  const m = (globs: string[], path: string) => globMatcher(globs, '/ws')(path);

  it('matches ** across folders and * within one', () => {
    expect(m(['db/**/*.sql'], '/ws/db/a.sql')).toBe(true);
    expect(m(['db/**/*.sql'], '/ws/db/x/y/a.sql')).toBe(true);
    expect(m(['db/*.sql'], '/ws/db/x/a.sql')).toBe(false);
    expect(m(['**/migrations/*.sql'], '/ws/svc/migrations/001.sql')).toBe(true);
    expect(m(['**/migrations/*.sql'], '/ws/migrations/001.sql')).toBe(true);
    expect(m(['db/*.sql'], '/ws/db/a.sqlx')).toBe(false);
  });

  it('knows ?, {a,b}, [..], ./ and absolute patterns', () => {
    expect(m(['db/00?_*.sql'], '/ws/db/001_a.sql')).toBe(true);
    expect(m(['{db,sql}/*.sql'], '/ws/sql/a.sql')).toBe(true);
    expect(m(['{db,sql}/*.sql'], '/ws/src/a.sql')).toBe(false);
    expect(m(['db/[0-9]*.sql'], '/ws/db/7_a.sql')).toBe(true);
    expect(m(['db/[!0-9]*.sql'], '/ws/db/7_a.sql')).toBe(false);
    expect(m(['./db/*.sql'], '/ws/db/a.sql')).toBe(true);
    expect(m(['/elsewhere/*.sql'], '/elsewhere/a.sql')).toBe(true);
    expect(m(['db/a+b.sql'], '/ws/db/a+b.sql')).toBe(true);
    expect(m(['db/a+b.sql'], '/ws/db/aab.sql')).toBe(false);
  });

  it('matches nothing without patterns', () => {
    expect(m([], '/ws/db/a.sql')).toBe(false);
    expect(m(['', '  '], '/ws/db/a.sql')).toBe(false);
  });
});

describe('ScopeResolver', () => {
  const resolver = (root: string, editorGlobs: string[] = []) =>
    new ScopeResolver(new ConfigCache(quiet), () => ({ editorGlobs, workspaceRoots: [root] }));

  it('lints folders with a runner layout or a migrations name, not other SQL', () => {
    const root = writeFolder({
      'app/db/20240101000000_a.sql': '-- +goose Up\nSELECT 1;\n',
      'db/migrations/001.sql': 'SELECT 1;\n',
      'reports/q.sql': 'SELECT 1;\n',
      'db/migrations/notes.txt': '',
    });
    const r = resolver(root);
    expect(r.scopeOf(join(root, 'app/db/20240101000000_a.sql'))?.root).toBe(join(root, 'app/db'));
    expect(r.scopeOf(join(root, 'db/migrations/001.sql'))?.root).toBe(join(root, 'db/migrations'));
    expect(r.scopeOf(join(root, 'reports/q.sql'))).toBeUndefined();
    expect(r.scopeOf(join(root, 'db/migrations/notes.txt'))).toBeUndefined();
  });

  it('uses the migration folder layout: diesel keeps one folder per migration', () => {
    const root = writeFolder({ 'migrations/2024-01-01-000000_a/up.sql': 'SELECT 1;\n' });
    expect(resolver(root).scopeOf(join(root, 'migrations/2024-01-01-000000_a/up.sql'))?.root).toBe(
      join(root, 'migrations'),
    );
  });

  it('takes pgmig.json folders and globs, and editor globs over everything', () => {
    const root = writeFolder({
      'pgmig.json': JSON.stringify({ migrations: ['sql/schema'] }),
      'sql/schema/v1/001.sql': 'SELECT 1;\n',
      'other/001.sql': 'SELECT 1;\n',
    });
    expect(resolver(root).scopeOf(join(root, 'sql/schema/v1/001.sql'))?.root).toBe(
      join(root, 'sql/schema'),
    );
    const globbed = writeFolder({
      'pgmig.json': JSON.stringify({ migrationGlobs: ['other/*.sql'] }),
      'other/001.sql': 'SELECT 1;\n',
      'db/migrations/001.sql': 'SELECT 1;\n',
    });
    expect(resolver(globbed).scopeOf(join(globbed, 'other/001.sql'))?.reason).toMatch(/pgmig.json/);
    // with globs, only what they match
    expect(resolver(globbed).scopeOf(join(globbed, 'db/migrations/001.sql'))).toBeUndefined();
    expect(
      resolver(globbed, ['db/**/*.sql']).scopeOf(join(globbed, 'db/migrations/001.sql'))?.reason,
    ).toBe('matches pgmig.migrationGlobs');
  });
});

describe('editor settings', () => {
  it('keeps what is valid and falls back to the defaults for the rest', () => {
    expect(sanitizeSettings(undefined)).toEqual(DEFAULT_EDITOR_SETTINGS);
    expect(
      sanitizeSettings({
        migrationGlobs: ['a/*.sql', 3, ''],
        docsBaseUrl: 'javascript-ish nonsense',
        maxFileSize: -1,
        lintDelay: 'soon',
      }),
    ).toEqual({
      ...DEFAULT_EDITOR_SETTINGS,
      migrationGlobs: ['a/*.sql'],
      maxFileSize: 1024,
    });
    expect(sanitizeSettings({ docsBaseUrl: 'https://x.example/docs/' }).docsBaseUrl).toBe(
      'https://x.example/docs/',
    );
  });
});
