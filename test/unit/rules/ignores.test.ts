import { beforeAll, describe, expect, it } from 'vitest';
import { findIgnores } from '../../../server/src/linter/ignores';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser, lintDir, lintText, writeFolder } from '../helpers/lint';

// each of these statements gets both rules
const STMT = 'ALTER TABLE users ADD CONSTRAINT k UNIQUE (email);';
const LOCK = 'require-lock-timeout';
const UNIQUE = 'disallowed-unique-constraint';

/** `rule@line` for every violation, lines 0-based. */
function found(sql: string): string[] {
  return lintText(sql)
    .map((v) => `${v.rule}@${sql.slice(0, v.start).split('\n').length - 1}`)
    .sort();
}

beforeAll(() => initParser());

describe('ignore comments', () => {
  it('without an ignore, both rules fire on both statements', () => {
    expect(found(`${STMT}\n${STMT}`)).toEqual([
      `${UNIQUE}@0`,
      `${UNIQUE}@1`,
      `${LOCK}@0`,
      `${LOCK}@1`,
    ]);
  });

  it('-- pgmig-ignore <rule> reason: only that rule, only the next statement', () => {
    const sql = `-- pgmig-ignore ${LOCK} deploy window is empty\n${STMT}\n${STMT}`;
    expect(found(sql)).toEqual([`${UNIQUE}@1`, `${UNIQUE}@2`, `${LOCK}@2`]);
  });

  it('skips blank lines and other comments between the ignore and its statement', () => {
    const sql = `-- pgmig-ignore ${LOCK}\n\n-- add the key\n${STMT}`;
    expect(found(sql)).toEqual([`${UNIQUE}@3`]);
  });

  it('a trailing comment applies to the statement on its line', () => {
    const sql = `${STMT} -- pgmig-ignore ${UNIQUE}\n${STMT}`;
    expect(found(sql)).toEqual([`${UNIQUE}@1`, `${LOCK}@0`, `${LOCK}@1`]);
  });

  it('a trailing comment after two statements on one line applies to the last one', () => {
    const sql = `${STMT} ${STMT} -- pgmig-ignore ${UNIQUE}`;
    const vs = lintText(sql).filter((v) => v.rule === UNIQUE);
    expect(vs).toHaveLength(1);
    expect(vs[0].start).toBe(0);
  });

  it('a comment inside a multi-line statement applies to that statement', () => {
    const sql = `ALTER TABLE users\n  -- pgmig-ignore ${LOCK}\n  ADD CONSTRAINT k UNIQUE (email);\n${STMT}`;
    expect(found(sql)).toEqual([`${UNIQUE}@0`, `${UNIQUE}@3`, `${LOCK}@3`]);
  });

  it('-- pgmig-ignore-file <rule> suppresses that rule in the whole file', () => {
    const sql = `-- pgmig-ignore-file ${LOCK}\n${STMT}\n${STMT}`;
    expect(found(sql)).toEqual([`${UNIQUE}@1`, `${UNIQUE}@2`]);
  });

  it('-- squawk-ignore rule1, rule2 suppresses both for the next statement', () => {
    const sql = `-- squawk-ignore ${LOCK}, ${UNIQUE}\n${STMT}\n${STMT}`;
    expect(found(sql)).toEqual([`${UNIQUE}@2`, `${LOCK}@2`]);
  });

  it('-- squawk-ignore-file with a rule suppresses it everywhere', () => {
    const sql = `${STMT}\n-- squawk-ignore-file ${UNIQUE}\n${STMT}`;
    expect(found(sql)).toEqual([`${LOCK}@0`, `${LOCK}@2`]);
  });

  it('no rule names means every rule', () => {
    expect(found(`-- pgmig-ignore\n${STMT}\n${STMT}`)).toEqual([`${UNIQUE}@2`, `${LOCK}@2`]);
    expect(found(`-- pgmig-ignore because we said so\n${STMT}`)).toEqual([]);
    expect(found(`-- squawk-ignore-file\n${STMT}\n${STMT}`)).toEqual([]);
  });

  it('an ignore for another rule suppresses nothing', () => {
    expect(found(`-- pgmig-ignore ban-drop-table\n${STMT}`)).toEqual([`${UNIQUE}@1`, `${LOCK}@1`]);
  });

  it('parses rules and reason', () => {
    const file = loadSingleFile(
      '/v/1.sql',
      `-- pgmig-ignore ${LOCK}, ${UNIQUE}: table is empty\n-- squawk-ignore-file\n`,
    ).files[0];
    const [a, b] = findIgnores(file);
    expect(a).toMatchObject({
      scope: 'line',
      rules: [LOCK, UNIQUE],
      reason: 'table is empty',
      tool: 'pgmig',
    });
    expect(b).toMatchObject({ scope: 'file', rules: [], tool: 'squawk' });
  });

  it('applies in the file it is written in, for DOWN files of their own', () => {
    const root = writeFolder({
      '1_a.up.sql': `${STMT}\n`,
      '1_a.down.sql': `-- pgmig-ignore ${LOCK}\n${STMT.replace('ADD', 'DROP').replace(' UNIQUE (email)', '')}\n`,
    });
    const vs = lintDir(root).violations.map((v) => `${v.rule}@${v.file.split('/').pop()}`);
    expect(vs.sort()).toEqual([`${UNIQUE}@1_a.up.sql`, `${LOCK}@1_a.up.sql`]);
  });
});
