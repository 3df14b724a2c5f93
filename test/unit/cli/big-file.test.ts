/**
 * A 10 MB migration goes through the whole command (read, parse, lint, report) in a child process
 * that is killed at the time limit, so a slowdown fails this test instead of hanging the suite.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFolder } from '../helpers/lint';
import { bundle, CIC, hasBundle, skipReason, type JsonFinding } from './run';

const TEN_MB = 10 * 1024 * 1024;
const LIMIT_MS = 120_000;

/** A data-loading migration: new tables with their indexes and rows, and a few hazards inside. */
function bigMigration(): { text: string; hazardLine: number; placeholderLine: number } {
  const parts: string[] = [];
  let line = 1;
  let hazardLine = 0;
  let placeholderLine = 0;
  let size = 0;
  for (let i = 0; size < TEN_MB; i++) {
    let chunk =
      `-- batch ${i}\nCREATE TABLE load_${i} (id bigint PRIMARY KEY, name text NOT NULL, note text);\n` +
      `CREATE INDEX load_${i}_name ON load_${i} (name);\n` +
      `INSERT INTO load_${i} (id, name, note) VALUES (1, 'a''b', 'ünïcödé'), (2, 'c', NULL);\n`;
    if (i === 20_000) {
      hazardLine = line + 4;
      placeholderLine = line + 5;
      chunk +=
        'CREATE INDEX users_email ON users (email);\n' +
        'CREATE TABLE {{ index .Options "Namespace" }}.x (id int);\n';
    }
    parts.push(chunk);
    size += chunk.length;
    line += chunk.split('\n').length - 1;
  }
  return { text: parts.join(''), hazardLine, placeholderLine };
}

describe('a 10 MB file', () => {
  it.skipIf(!hasBundle)(skipReason('is linted within the time limit, with exact positions'), () => {
    const { text, hazardLine, placeholderLine } = bigMigration();
    const root = writeFolder({});
    writeFileSync(join(root, 'big.sql'), text);
    const r = bundle(['lint', 'big.sql', '--format', 'json', '--stats'], {
      cwd: root,
      timeoutMs: LIMIT_MS,
    });
    expect(r.timedOut, `killed after ${LIMIT_MS} ms`).toBe(false);
    console.log(`10 MB file: pgmig lint took ${Math.round(r.ms)} ms; ${r.stderr.trim()}`);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    const at = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.line);
    expect(at(CIC)).toEqual([hazardLine]);
    expect(at('syntax-error')).toEqual([placeholderLine]);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!).stats;
    expect(stats.statements).toBeGreaterThan(90_000);
  });
});
