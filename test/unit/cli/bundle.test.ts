/** The bundle runs on its own: dist/cli.js with the wasm copied next to it. */
import { describe, expect, it } from 'vitest';
import { writeFolder } from '../helpers/lint';
import { bundle, CIC, hasBundle, skipReason, type JsonFinding } from './run';

describe('dist/cli.js', () => {
  it.skipIf(!hasBundle)(skipReason('lints a folder and stdin in a child process'), () => {
    const root = writeFolder({
      '001_idx.sql':
        '-- +goose Up\nCREATE INDEX i ON users (email);\n-- +goose Down\nDROP INDEX i;\n',
    });
    const r = bundle(['lint', '.', '--format', 'json', '--rule', CIC], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    expect(findings.map((f) => [f.file, f.line, f.column, f.rule])).toEqual([
      ['001_idx.sql', 2, 1, CIC],
    ]);
    const fixed = bundle(['lint', '-', '--fix', '--rule', CIC], {
      stdin: 'CREATE INDEX i ON users (email);\n',
    });
    expect(fixed.stdout).toBe('CREATE INDEX CONCURRENTLY i ON users (email);\n');
    expect(fixed.code).toBe(0);
    const v = bundle(['--version']);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
