/** The streams and working directory a command runs with (process ones, or a test's). */
export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: NodeJS.ReadableStream;
  cwd: string;
}
