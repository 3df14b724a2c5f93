/**
 * The editor-side settings (`pgmig.*`): asked for with workspace/configuration where the client
 * answers it, else taken from what the client pushes or passed at start-up. Values of the wrong
 * type fall back to the defaults instead of breaking the server.
 */
import type { ClientCapabilities, Connection } from 'vscode-languageserver/node';
import { DEFAULT_EDITOR_SETTINGS, SETTINGS_SECTION, type EditorSettings } from '../protocol/server';

export function sanitizeSettings(raw: unknown): EditorSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const globs = Array.isArray(r.migrationGlobs)
    ? r.migrationGlobs.filter((g): g is string => typeof g === 'string' && g.trim() !== '')
    : DEFAULT_EDITOR_SETTINGS.migrationGlobs;
  const num = (v: unknown, d: number, min: number, max: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d;
  return {
    migrationGlobs: globs,
    docsBaseUrl:
      typeof r.docsBaseUrl === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(r.docsBaseUrl)
        ? r.docsBaseUrl
        : DEFAULT_EDITOR_SETTINGS.docsBaseUrl,
    maxFileSize: num(r.maxFileSize, DEFAULT_EDITOR_SETTINGS.maxFileSize, 1024, 512 * 1024 * 1024),
    lintDelay: num(r.lintDelay, DEFAULT_EDITOR_SETTINGS.lintDelay, 0, 10_000),
  };
}

export async function fetchSettings(
  connection: Connection,
  capabilities: ClientCapabilities,
  fallback: unknown,
): Promise<EditorSettings> {
  if (!capabilities.workspace?.configuration) return sanitizeSettings(fallback);
  const raw: unknown = await connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
  return sanitizeSettings(raw ?? fallback);
}
