/**
 * Fuzzing the built server with mutated corpus files (byte flips, truncation, duplication,
 * invalid UTF-8, NUL bytes, splices), as edits of open documents and as files appearing on disk.
 * After every mutation the server must publish diagnostics for it and answer hover, outline,
 * folding and code-action requests; it must never stop. Seeded: PGMIG_FUZZ_SEED and
 * PGMIG_FUZZ_ITERATIONS reproduce or widen a run.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { corpusProjects, projectDirs, sqlFilesUnder } from '../corpus/corpus';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, uriOf } from './client';
import { rng } from '../helpers/random';

const SEED = Number(process.env.PGMIG_FUZZ_SEED ?? 4242);
const ITERATIONS = Number(process.env.PGMIG_FUZZ_ITERATIONS ?? 6000);

const INVALID_UTF8 = [
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf0, 0x9f, 0x98]),
];

function mutate(input: Buffer, other: Buffer, rand: () => number): { bytes: Buffer; how: string } {
  const at = Math.floor(rand() * (input.length + 1));
  const pick = Math.floor(rand() * 7);
  switch (pick) {
    case 0: {
      const b = Buffer.from(input);
      for (let n = 1 + Math.floor(rand() * 8); n > 0 && b.length > 0; n--)
        b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
      return { bytes: b, how: 'flip' };
    }
    case 1:
      return { bytes: input.subarray(0, at), how: 'truncate' };
    case 2: {
      const from = Math.floor(rand() * input.length);
      const slice = input.subarray(from, from + Math.floor(rand() * 4000));
      const times = rand() < 0.05 ? 200 : 1 + Math.floor(rand() * 3);
      const copies = Buffer.concat(Array.from({ length: times }, () => slice));
      return {
        bytes: Buffer.concat([input.subarray(0, at), copies, input.subarray(at)]),
        how: 'duplicate',
      };
    }
    case 3: {
      const bad = INVALID_UTF8[Math.floor(rand() * INVALID_UTF8.length)];
      return {
        bytes: Buffer.concat([input.subarray(0, at), bad, input.subarray(at)]),
        how: 'utf8',
      };
    }
    case 4:
      return {
        bytes: Buffer.concat([input.subarray(0, at), Buffer.from([0]), input.subarray(at)]),
        how: 'nul',
      };
    case 5: {
      const from = Math.floor(rand() * other.length);
      return {
        bytes: Buffer.concat([input.subarray(0, at), other.subarray(from)]),
        how: 'splice',
      };
    }
    default: {
      const len = Math.floor(rand() * 200);
      return {
        bytes: Buffer.concat([input.subarray(0, at), input.subarray(at + len)]),
        how: 'delete',
      };
    }
  }
}

function withTimeout<T>(p: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

let client: TestClient;
let root: string;

beforeAll(async () => {
  root = writeFolder({
    'migrations/20240101000000_base.sql':
      '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
  });
  client = await TestClient.start({ root, settings: { maxFileSize: 300_000 } });
});

afterAll(async () => {
  await client?.stop();
});

describe('fuzz', () => {
  it(`survives ${ITERATIONS} mutated corpus files and answers every request`, async () => {
    const files = corpusProjects().flatMap((p) => projectDirs(p).flatMap(sqlFilesUnder));
    const rand = rng(SEED);
    const doc = join(root, 'migrations/20240102000000_fuzz.sql');
    const first = readFileSync(files[Math.floor(rand() * files.length)]);
    writeFileSync(doc, first);
    await client.open(doc, first.toString('utf8'));
    const counts: Record<string, number> = {};
    let onDisk: string | undefined;
    for (let i = 0; i < ITERATIONS; i++) {
      const source = readFileSync(files[Math.floor(rand() * files.length)]);
      const other = readFileSync(files[Math.floor(rand() * files.length)]);
      let { bytes, how } = mutate(source, other, rand);
      if (rand() < 0.3) ({ bytes, how } = mutate(bytes, other, rand));
      counts[how] = (counts[how] ?? 0) + 1;
      const label = `iteration ${i} (${how}, seed ${SEED})`;
      if (i % 40 === 39) {
        // a mutated file appears on disk (invalid UTF-8 stays invalid there), or goes away
        if (onDisk) {
          rmSync(onDisk, { force: true });
          await client.fileEvents([{ path: onDisk, type: 3 }]);
          onDisk = undefined;
        } else {
          onDisk = join(root, `migrations/20240103${String(i).padStart(6, '0')}_disk.sql`);
          writeFileSync(onDisk, bytes);
          await client.fileEvents([{ path: onDisk, type: 1 }]);
        }
      }
      const text = bytes.toString('utf8');
      const diagnostics: Diagnostic[] = await withTimeout(
        client.setText(doc, text),
        `diagnostics of ${label}`,
      );
      const uri = uriOf(doc);
      const line = Math.floor(rand() * (text.split('\n').length + 2));
      const position = { line, character: Math.floor(rand() * 40) };
      const answers = await withTimeout(
        Promise.all([
          client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }),
          client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }),
          client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } }),
          client.codeActions(doc, diagnostics.slice(0, 3)),
          i % 10 === 0 ? client.codeActions(doc, diagnostics, ['source.fixAll']) : [],
        ]),
        `requests after ${label}`,
      );
      expect(answers, label).toHaveLength(5);
      expect(client.process.exitCode, `${label}: server exited\n${client.stderr}`).toBeNull();
    }
    expect(await client.alive()).toBe(true);
    // every kind of mutation was tried
    expect(Object.keys(counts).sort()).toEqual(
      ['delete', 'duplicate', 'flip', 'nul', 'splice', 'truncate', 'utf8'].sort(),
    );
    expect(client.stderr).not.toMatch(/uncaught|unhandled/);
    // no handler failed along the way (each failure is logged with its stack)
    expect(client.logs.filter((l) => / failed|uncaught|unhandled/.test(l))).toEqual([]);
  }, 600_000);
});
