/** The streams and working directory a command runs with (process ones, or a test's). */
export interface Io {
  stdout: { write(s: string | Uint8Array): unknown };
  stderr: { write(s: string): unknown };
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

// Reporters yield one finding at a time; writing each to the stream separately is slow, joining
// them all can exceed V8's longest string.
const BATCH = 1 << 20;

/** Writes a reporter's chunks in batches of about a megabyte. */
export function writeChunks(out: Io['stdout'], chunks: Iterable<string>): void {
  let buffer = '';
  for (const c of chunks) {
    buffer += c;
    if (buffer.length >= BATCH) {
      out.write(buffer);
      buffer = '';
    }
  }
  if (buffer) out.write(buffer);
}
