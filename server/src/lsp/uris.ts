/**
 * Document URIs and file paths. Only `file:` documents can belong to a migration folder; the
 * URI an editor used for an open document is kept and reused when publishing for it, since
 * editors compare URIs as strings after their own normalisation.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BadParams } from './guard';

export function pathOfUri(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function uriOfPath(path: string): string {
  return pathToFileURL(path).href;
}

/** The `textDocument.uri` of request params, or BadParams. */
export function requireUri(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | null)?.textDocument?.uri;
  if (typeof uri !== 'string') throw new BadParams('params.textDocument.uri must be a string');
  return uri;
}

/** A `Position` of request params, or BadParams. */
export function requirePosition(
  value: unknown,
  what = 'position',
): {
  line: number;
  character: number;
} {
  const p = value as { line?: unknown; character?: unknown } | null;
  if (
    !p ||
    typeof p.line !== 'number' ||
    typeof p.character !== 'number' ||
    !Number.isFinite(p.line) ||
    !Number.isFinite(p.character)
  )
    throw new BadParams(`${what} must be { line, character } numbers`);
  return { line: p.line, character: p.character };
}
