/**
 * The stdio writer sends each message in pieces: the bytes on the wire must still be exactly one
 * Content-Length header and the message's JSON, whatever characters fall on a piece boundary.
 */
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PiecewiseMessageWriter, pieces } from '../../../server/src/lsp/transport';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node') as typeof import('vscode-jsonrpc/node');

describe('pieces', () => {
  it('cuts a long text into pieces that join back to it', () => {
    const text = 'abcdefghij'.repeat(7);
    const got = pieces(text, 16);
    expect(got.join('')).toBe(text);
    expect(got.every((p) => p.length <= 16)).toBe(true);
    expect(got).toHaveLength(Math.ceil(text.length / 16));
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    // '😀' is two UTF-16 units: at offset 15 its first half would end a 16-unit piece
    const text = `${'a'.repeat(15)}😀${'b'.repeat(20)}`;
    const got = pieces(text, 16);
    expect(got.join('')).toBe(text);
    expect(got[0]).toBe('a'.repeat(15));
    expect(got[1].startsWith('😀')).toBe(true);
    for (const p of got) expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
  });

  it('gives no piece for an empty text', () => {
    expect(pieces('', 16)).toEqual([]);
  });
});

describe('PiecewiseMessageWriter', () => {
  it('writes messages a standard LSP reader reads back unchanged', async () => {
    const wire = new PassThrough();
    const writer = new PiecewiseMessageWriter(wire);
    const reader = new rpc.StreamMessageReader(wire);
    const received: unknown[] = [];
    const all = new Promise<void>((resolve) =>
      reader.listen((m) => {
        received.push(m);
        if (received.length === 3) resolve();
      }),
    );
    // large enough for many pieces, with multi-byte characters across the boundaries
    const big = {
      jsonrpc: '2.0',
      method: 'textDocument/publishDiagnostics',
      params: {
        items: Array.from({ length: 3000 }, (_, i) => `naïve 😀 ${i} ${'é'.repeat(i % 17)}`),
      },
    };
    const small = { jsonrpc: '2.0', id: 1, result: null };
    const empty = { jsonrpc: '2.0', method: 'x', params: { s: '' } };
    await Promise.all([writer.write(big), writer.write(small), writer.write(empty)]);
    await all;
    expect(received).toEqual([big, small, empty]);
    reader.dispose();
    writer.dispose();
  });

  it('reports a failed write as an error of the writer and rejects', async () => {
    const wire = new PassThrough();
    const writer = new PiecewiseMessageWriter(wire);
    const errors: Error[] = [];
    writer.onError(([e]) => errors.push(e));
    wire.destroy();
    await expect(writer.write({ jsonrpc: '2.0', method: 'x' } as never)).rejects.toThrow();
    expect(errors.length).toBeGreaterThan(0);
  });
});
