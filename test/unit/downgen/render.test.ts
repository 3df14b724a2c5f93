import { describe, expect, it } from 'vitest';
import { renderDown } from '../../../server/src/downgen/render';

describe('rendering a DOWN', () => {
  const plan = {
    items: [
      { todo: 'first line\nsecond line', sql: 'DROP TABLE a' },
      { note: 'careful', sql: 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql' },
    ],
    complete: false,
    noTransaction: false,
  };

  it('TODOs and notes are comments above their statement; every statement ends with ;', () => {
    expect(renderDown(plan, 'plain')).toBe(
      [
        '-- TODO(pgmig): first line',
        '-- second line',
        'DROP TABLE a;',
        '-- careful',
        'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;',
        '',
      ].join('\n'),
    );
  });

  it('goose: statements with semicolons inside go between StatementBegin and StatementEnd', () => {
    expect(renderDown(plan, 'goose')).toContain(
      '-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\n',
    );
  });

  it('line breaks follow the file (CRLF)', () => {
    expect(
      renderDown(
        { items: [{ sql: 'DROP TABLE a' }], complete: true, noTransaction: false },
        'plain',
        '\r\n',
      ),
    ).toBe('DROP TABLE a;\r\n');
  });
});
