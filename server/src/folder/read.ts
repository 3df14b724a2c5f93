/**
 * Reading migration files from disk: binary files and invalid UTF-8 are reported, never fatal.
 */
import { readFileSync } from 'node:fs';

export interface ReadResult {
  text: string;
  /** Why the text is not the file's exact content, or why it is empty. */
  problem?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

export function decodeSql(bytes: Uint8Array): ReadResult {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0))
    return { text: '', problem: 'binary file (contains NUL bytes); not linted' };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const text = lossy.decode(bytes);
    const bad = text.indexOf('\ufffd');
    const at = bad >= 0 ? ` near character ${bad}` : '';
    return {
      text,
      problem: `file is not valid UTF-8${at}; invalid bytes were read as U+FFFD`,
    };
  }
}

export function readSqlFile(path: string): ReadResult {
  return decodeSql(readFileSync(path));
}
