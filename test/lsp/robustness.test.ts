/**
 * Bad input never stops the server: malformed requests and fix data are answered (with an error
 * or nothing), garbage on the wire is skipped, huge and binary files are reported instead of
 * linted, and the server keeps answering afterwards.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type Diagnostic } from 'vscode-languageserver-protocol';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, uriOf, withCode } from './client';

const CIC = 'require-concurrent-index-creation';
const USERS = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n';
const INDEX = '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

async function start(settings: Record<string, unknown> = {}) {
  const root = writeFolder({
    '20240101000000_users.sql': USERS,
    '20240102000000_index.sql': INDEX,
  });
  client = await TestClient.start({ root, settings });
  return { root, c: client, file: join(root, '20240102000000_index.sql') };
}

async function errorOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: number; message: string };
  }
  throw new Error('expected an error response');
}

describe('robustness', () => {
  it('answers malformed requests with an error and keeps going', async () => {
    const { c, file } = await start();
    await c.open(file);
    const send = (method: string, params: unknown) => c.connection.sendRequest(method, params);
    expect((await errorOf(send('textDocument/hover', {}))).code).toBe(ErrorCodes.InvalidParams);
    expect((await errorOf(send('textDocument/hover', null))).code).toBe(ErrorCodes.InvalidParams);
    expect(
      (
        await errorOf(
          send('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: 'x' }),
        )
      ).code,
    ).toBe(ErrorCodes.InvalidParams);
    expect((await errorOf(send('textDocument/documentSymbol', { textDocument: 7 }))).code).toBe(
      ErrorCodes.InvalidParams,
    );
    expect(
      (await errorOf(send('workspace/executeCommand', { command: 'pgmig.nope', arguments: [] })))
        .code,
    ).toBe(ErrorCodes.InvalidParams);
    expect(
      (
        await errorOf(
          send('workspace/executeCommand', {
            command: 'pgmig.server.showDocumentation',
            arguments: ['../../etc/passwd'],
          }),
        )
      ).message,
    ).toMatch(/rule id/);
    expect((await errorOf(send('pgmig/noSuchMethod', {}))).code).toBe(ErrorCodes.MethodNotFound);
    // positions outside the document are clamped, documents that are not open have nothing
    expect(
      await send('textDocument/hover', {
        textDocument: { uri: uriOf(file) },
        position: { line: 10_000, character: -5 },
      }),
    ).toBeNull();
    expect(
      await send('textDocument/hover', {
        textDocument: { uri: 'untitled:Untitled-1' },
        position: { line: 0, character: 0 },
      }),
    ).toBeNull();
    await c.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uriOf(join(file, '..', 'not-open.sql')), version: 2 },
      contentChanges: [{ text: 'x' }],
    });
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: 'nope' });
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: null });
    expect(await c.alive()).toBe(true);
    expect(withCode(await c.setText(file, INDEX), CIC)).toHaveLength(1);
  });

  it('ignores fix data it did not write, and fixes that do not fit the text', async () => {
    const { c, file } = await start();
    const [d] = withCode(await c.open(file), CIC);
    const forged = (data: unknown): Diagnostic => ({ ...d, data });
    const actions = await c.codeActions(file, [
      forged('x'),
      forged({ version: 1, rule: CIC, fixes: 'all' }),
      forged({ version: 1, rule: CIC, fixes: [{ title: 'evil', edits: [{ start: 'a' }] }] }),
      forged({
        version: 1,
        rule: CIC,
        fixes: [{ title: 'too far', edits: [{ start: 5, end: 1_000_000, newText: '' }] }],
      }),
      { ...forged(d.data), source: 'someone-else' },
    ]);
    // only the well-formed one counts: its fix does not fit, its ignore comments do
    expect(actions.map((a) => a.title)).toEqual([
      `Disable ${CIC} for this statement`,
      `Disable ${CIC} for this file`,
      `Show documentation for ${CIC}`,
    ]);
    expect(await c.alive()).toBe(true);
  });

  it('skips garbage on the wire', async () => {
    const { c, file } = await start();
    await c.open(file);
    const body = '{"jsonrpc":"2.0","method":';
    c.process.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const ok = '{"jsonrpc":"2.0","method":"$/nothing","params":{}}';
    c.process.stdin.write(`Content-Length: ${Buffer.byteLength(ok)}\r\n\r\n${ok}`);
    expect(await c.alive()).toBe(true);
    expect(withCode(await c.setText(file, INDEX), CIC)).toHaveLength(1);
  });

  it('says why a huge file is not linted, and lints it once it is small again', async () => {
    const { c, root } = await start({ maxFileSize: 100_000 });
    const big = join(root, '20240103000000_big.sql');
    const huge = `-- +goose Up\n${'CREATE INDEX i ON users (email);\n'.repeat(5000)}`;
    const [d] = await c.open(big, huge);
    expect(d.message).toMatch(
      /too large to lint \(165013 characters; pgmig.maxFileSize is 100000\)/,
    );
    expect(
      await c.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(big) },
        position: { line: 1, character: 3 },
      }),
    ).toBeNull();
    expect(withCode(await c.setText(big, INDEX), CIC)).toHaveLength(1);
  });

  it('says why a binary file is not linted', async () => {
    const { c, root } = await start();
    const bin = join(root, '20240103000000_bin.sql');
    const [d] = await c.open(bin, `-- +goose Up\n\u0000\u0001\u0002binary`);
    expect(d.message).toMatch(/binary file/);
    expect(await c.alive()).toBe(true);
  });

  it('lints a file with invalid statements and odd characters', async () => {
    const { c, root } = await start();
    const odd = join(root, '20240103000000_odd.sql');
    const ds = await c.open(
      odd,
      "-- +goose Up\nSELEC 1;\nCREATE INDEX \u{1F600}_idx ON users (email);\nSELECT '\uFFFD';\n$$ unterminated",
    );
    expect(ds.some((x) => x.code === 'syntax-error')).toBe(true);
    expect(withCode(ds, CIC)).toHaveLength(1);
    const [cic] = withCode(ds, CIC);
    // UTF-16 positions: the emoji counts as two
    const statement = 'CREATE INDEX \u{1F600}_idx ON users (email)';
    expect(statement.length).toBe(36);
    expect(cic.range).toEqual({
      start: { line: 2, character: 0 },
      end: { line: 2, character: statement.length },
    });
  });
});
