/**
 * The language server over stdin/stdout. Messages go out in pieces rather than as one buffer:
 * the diagnostics of a large migration are megabytes of JSON (7,500 statements: 6 MB), and a
 * buffer that size comes from malloc, which keeps the memory for the life of the process once
 * such blocks have been freed. Pieces of a few tens of kilobytes are reused instead.
 */
import { inspect } from 'node:util';
import {
  AbstractMessageWriter,
  createConnection,
  ProposedFeatures,
  type Connection,
  type Message,
  type MessageWriter,
  StreamMessageReader,
} from 'vscode-languageserver/node';

/** UTF-16 units of JSON per write. */
export const PIECE_CHARS = 16 * 1024;

/** `json` cut into pieces of at most `size` units, never between the halves of a surrogate pair. */
export function pieces(json: string, size = PIECE_CHARS): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length;) {
    let j = Math.min(json.length, i + size);
    const c = json.charCodeAt(j - 1);
    if (j < json.length && c >= 0xd800 && c <= 0xdbff) j--;
    out.push(json.slice(i, j));
    i = j;
  }
  return out;
}

export class PiecewiseMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const json = JSON.stringify(msg);
    // header and body in one synchronous run: no other message can come between them
    return new Promise<void>((resolve, reject) => {
      const done = (e?: Error | null) => {
        if (!e) return resolve();
        this.errors++;
        this.fireError(e, msg, this.errors);
        reject(e);
      };
      try {
        this.out.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n`, 'ascii');
        const parts = pieces(json);
        for (let i = 0; i < parts.length; i++)
          if (i < parts.length - 1) this.out.write(parts[i], 'utf8');
          else this.out.write(parts[i], 'utf8', done);
        if (parts.length === 0) done();
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  end(): void {
    this.out.end();
  }
}

/**
 * A connection on these streams. As with the library's own stdio connection, the process ends
 * when `input` closes, with status 0 only if the client asked for a shutdown first.
 */
export function streamConnection(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Connection {
  let shutdownAsked = false;
  const reader = new StreamMessageReader(input);
  const listen = reader.listen.bind(reader);
  reader.listen = (callback) =>
    listen((m) => {
      if ((m as { method?: string }).method === 'shutdown') shutdownAsked = true;
      callback(m);
    });
  const connection = createConnection(
    ProposedFeatures.all,
    reader,
    new PiecewiseMessageWriter(output),
  );
  const gone = () => {
    connection.dispose();
    process.exit(shutdownAsked ? 0 : 1);
  };
  input.on('end', gone);
  input.on('close', gone);
  // stdout carries the protocol: a stray console.log from a dependency would corrupt it
  const text = (args: unknown[]) =>
    args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.info = (...a: unknown[]) => connection.console.log(text(a));
  console.debug = (...a: unknown[]) => connection.console.log(text(a));
  console.warn = (...a: unknown[]) => connection.console.warn(text(a));
  console.error = (...a: unknown[]) => connection.console.error(text(a));
  return connection;
}
