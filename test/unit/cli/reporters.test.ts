/**
 * The four output formats, each checked on the same known violation: CREATE INDEX on a table the
 * migration did not create, at line 3, columns 3–48 of 002_idx.sql.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { escapeData, escapeProperty, formatGithub } from '../../../server/src/cli/reporters/github';
import { formatJson } from '../../../server/src/cli/reporters/json';
import { formatText, summaryLine } from '../../../server/src/cli/reporters/text';
import type { Finding } from '../../../server/src/cli/findings';
import { RULES } from '../../../server/src/rules';
import { writeFolder } from '../helpers/lint';
import { CIC, cli, type JsonFinding } from './run';

const ONLY_CIC = ['--rule', CIC];
const RULE = RULES.find((r) => r.id === CIC)!;

function gooseFolder() {
  return writeFolder({
    '001_users.sql':
      '-- +goose Up\nCREATE TABLE users (id bigint, email text);\n-- +goose Down\nDROP TABLE users;\n',
    '002_idx.sql':
      '-- +goose Up\nSELECT 1;\n  CREATE INDEX users_email_idx ON users (email);\n-- +goose Down\nSELECT 1;\n',
  });
}

const REGION = { line: 3, column: 3, endLine: 3, endColumn: 48 };

describe('text', () => {
  it('file:line:column: severity rule message, help indented, the count on stderr', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.', ...ONLY_CIC], { cwd: root });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`002_idx.sql:3:3: warning ${CIC} ${lines[0].split(`${CIC} `)[1]}`);
    expect(lines[0]).toContain('without CONCURRENTLY');
    expect(lines[1]).toMatch(/^ {2}help: Use CREATE INDEX CONCURRENTLY/);
    expect(lines).toHaveLength(3);
    expect(r.stderr).toBe('1 problem (0 errors, 1 warning, 0 info)\n');
  });

  it('counts by severity, with plurals', () => {
    const f = (severity: Finding['severity']): Finding => ({
      file: 'a.sql',
      ...REGION,
      rule: CIC,
      severity,
      message: 'm',
      fixes: [],
    });
    const all = [f('error'), f('error'), f('warning'), f('info'), f('hint')];
    expect(summaryLine(all)).toBe('5 problems (2 errors, 1 warning, 2 info)');
    expect([...formatText([f('error')])].join('')).toBe(`a.sql:3:3: error ${CIC} m\n`);
  });
});

describe('json', () => {
  it('an array of findings with 1-based positions and fixes with located edits', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.', ...ONLY_CIC, '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as JsonFinding[];
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      file: '002_idx.sql',
      ...REGION,
      rule: CIC,
      severity: 'warning',
    });
    expect(out[0].help).toMatch(/CONCURRENTLY/);
    expect(Object.keys(out[0]).sort()).toEqual(
      [
        'file',
        'line',
        'column',
        'endLine',
        'endColumn',
        'rule',
        'severity',
        'message',
        'help',
        'fixes',
      ].sort(),
    );
    const fix = out[0].fixes.find((f) => f.title.includes('NO TRANSACTION'))!;
    expect(fix.edits).toEqual(
      expect.arrayContaining([
        {
          file: '002_idx.sql',
          startLine: 3,
          startColumn: 15,
          endLine: 3,
          endColumn: 15,
          newText: ' CONCURRENTLY',
        },
        {
          file: '002_idx.sql',
          startLine: 1,
          startColumn: 1,
          endLine: 1,
          endColumn: 1,
          newText: '-- +goose NO TRANSACTION\n',
        },
      ]),
    );
  });

  it('a created file is an edit at 1:1 with create: true, named like the other files', async () => {
    // golang-migrate sends the file as one query string: the index moves to a migration of its own
    const root = writeFolder({
      'db/000001_x.up.sql': 'CREATE TABLE a (id int);\nCREATE INDEX i ON users (email);\n',
      'db/000001_x.down.sql': 'DROP TABLE a;\n',
    });
    const r = await cli(['lint', 'db', ...ONLY_CIC, '--format', 'json'], { cwd: root });
    const [finding] = JSON.parse(r.stdout) as JsonFinding[];
    expect(finding.file).toBe('db/000001_x.up.sql');
    const created = finding.fixes.flatMap((f) => f.edits).filter((e) => e.create);
    expect(created.length).toBeGreaterThan(0);
    for (const e of created) {
      expect(e).toMatchObject({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
      expect(e.file).toMatch(/^db\/000002_.*\.sql$/);
    }
    expect(created.map((e) => e.newText).join('')).toContain('CREATE INDEX CONCURRENTLY i');
  });

  it('written finding by finding, one compact finding per line, it parses as the whole array', () => {
    const findings: Finding[] = Array.from({ length: 3 }, (_, i) => ({
      file: `f${i}.sql`,
      ...REGION,
      rule: CIC,
      severity: 'warning',
      message: `m ${i} "quoted"\n`,
      help: i === 1 ? undefined : 'h',
      fixes: [{ title: 't', edits: [] }],
    }));
    const text = [...formatJson(findings)].join('');
    expect(JSON.parse(text)).toEqual(findings.map((f) => ({ ...f, help: f.help ?? null })));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('[');
    expect(lines.at(-1)).toBe(']');
    expect(lines.slice(1, -1).map((l) => JSON.parse(l.replace(/,$/, '')))).toEqual(
      findings.map((f) => ({ ...f, help: f.help ?? null })),
    );
    expect([...formatJson([])].join('')).toBe('[]\n');
  });
});

describe('sarif', () => {
  it('SARIF 2.1.0: driver pgmig with rule metadata, results with regions, levels and fixes', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.', ...ONLY_CIC, '--format', 'sarif'], { cwd: root });
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toContain('sarif-2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('pgmig');
    expect(run.tool.driver.rules).toEqual([
      {
        id: CIC,
        shortDescription: { text: RULE.summary },
        helpUri: `https://github.com/pgmig/pgmig/blob/main/docs/rules/${CIC}.md`,
        defaultConfiguration: { level: 'warning' },
      },
    ]);
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.results).toHaveLength(1);
    const res = run.results[0];
    expect(res).toMatchObject({ ruleId: CIC, ruleIndex: 0, level: 'warning' });
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '002_idx.sql' },
      region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 48 },
    });
    const fix = res.fixes.find((f: { description: { text: string } }) =>
      f.description.text.includes('NO TRANSACTION'),
    );
    expect(fix.artifactChanges).toHaveLength(1);
    expect(fix.artifactChanges[0].artifactLocation.uri).toBe('002_idx.sql');
    expect(fix.artifactChanges[0].replacements).toEqual(
      expect.arrayContaining([
        {
          deletedRegion: { startLine: 3, startColumn: 15, endLine: 3, endColumn: 15 },
          insertedContent: { text: ' CONCURRENTLY' },
        },
      ]),
    );
  });

  it('maps severities to levels and writes an empty results array when clean', async () => {
    const root = writeFolder({
      '001_x.sql': '-- +goose Up\nCREATE INDEX i ON users (email);\nSELEC 1;\n',
    });
    const cfg = JSON.stringify({ rules: { [CIC]: 'hint' } });
    const withCfg = writeFolder({ 'pgmig.json': cfg });
    const r = await cli(
      ['lint', root, '--rule', `${CIC},syntax-error`, '--format', 'sarif', '--config'].concat(
        join(withCfg, 'pgmig.json'),
      ),
    );
    const levels = Object.fromEntries(
      JSON.parse(r.stdout).runs[0].results.map((x: { ruleId: string; level: string }) => [
        x.ruleId,
        x.level,
      ]),
    );
    expect(levels).toEqual({ [CIC]: 'note', 'syntax-error': 'error' });
    const clean = await cli(['lint', '-', '--format', 'sarif'], { stdin: '' });
    const log = JSON.parse(clean.stdout);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
  });

  it('locations are URI references: percent-encoded relative paths, file: URIs for absolute ones', async () => {
    const root = writeFolder({ 'my dir/001 #x.sql': 'CREATE INDEX i ON users (email);\n' });
    const rel = await cli(['lint', 'my dir', ...ONLY_CIC, '--format', 'sarif'], { cwd: root });
    const uri = (out: string) =>
      JSON.parse(out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri(rel.stdout)).toBe('my%20dir/001%20%23x.sql');
    const abs = await cli(['lint', join(root, 'my dir'), ...ONLY_CIC, '--format', 'sarif']);
    expect(uri(abs.stdout)).toMatch(/^file:\/\/\/.*\/my%20dir\/001%20%23x\.sql$/);
  });
});

describe('github', () => {
  it('one workflow command per finding with the region and the rule as title', async () => {
    const root = gooseFolder();
    const r = await cli(['lint', '.', ...ONLY_CIC, '--format', 'github'], { cwd: root });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^::warning file=002_idx\\.sql,line=3,col=3,endLine=3,endColumn=48,title=pgmig ${CIC}::Creating an index on users .*%0AUse CREATE INDEX CONCURRENTLY`,
      ),
    );
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', async () => {
    expect(escapeData('50% a\r\nb: c, d')).toBe('50%25 a%0D%0Ab: c, d');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const out = [
      ...formatGithub([
        {
          file: 'x,y:z.sql',
          ...REGION,
          rule: 'syntax-error',
          severity: 'error',
          message: 'bad\n100%',
          fixes: [],
        },
        { file: 'a.sql', ...REGION, rule: CIC, severity: 'info', message: 'i', fixes: [] },
        { file: 'a.sql', ...REGION, rule: CIC, severity: 'hint', message: 'h', fixes: [] },
      ]),
    ].join('');
    expect(out).toBe(
      '::error file=x%2Cy%3Az.sql,line=3,col=3,endLine=3,endColumn=48,title=pgmig syntax-error::bad%0A100%25\n' +
        `::notice file=a.sql,line=3,col=3,endLine=3,endColumn=48,title=pgmig ${CIC}::i\n` +
        `::notice file=a.sql,line=3,col=3,endLine=3,endColumn=48,title=pgmig ${CIC}::h\n`,
    );
    // and through the command, for a file name that needs it
    const root = writeFolder({ 'x,y:z.sql': 'CREATE INDEX i ON users (email);\n' });
    const r = await cli(['lint', 'x,y:z.sql', ...ONLY_CIC, '--format', 'github'], { cwd: root });
    expect(r.stdout).toMatch(/^::warning file=x%2Cy%3Az\.sql,line=1,col=1,/);
  });
});
