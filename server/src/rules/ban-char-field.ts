/**
 * ban-char-field: char(n) / character(n) pads every value with spaces to n characters, ignores
 * trailing spaces when comparing, and is no faster than varchar or text: it is almost always a
 * mistake. The quoted "char" (a one-byte internal type) is not flagged. Style: info.
 */
import { checkColumnTypes } from '../linter/typeStyle';
import { isBuiltinName, typeNameOf } from '../linter/columnTypes';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-char-field',
  summary: 'char(n) pads values with spaces and ignores trailing spaces; use varchar(n) or text.',
  defaultSeverity: 'info',
  check(ctx) {
    checkColumnTypes(ctx, this.id, {
      flags: (use) => isBuiltinName(use.typeName) && typeNameOf(use.typeName) === 'bpchar',
      verdict(use, where, written) {
        const m = /^(char|character|bpchar|pg_catalog\.bpchar)(?:\((\d+)\))?((?:\[\d*\])*)$/.exec(
          written ?? '',
        );
        // bare char means char(1); bare bpchar has no limit
        const replacement = !m
          ? undefined
          : m[2]
            ? `varchar(${m[2]})${m[3]}`
            : m[1].endsWith('bpchar')
              ? `text${m[3]}`
              : `varchar(1)${m[3]}`;
        return {
          message: `${where} ${use.kind === 'alter' ? 'becomes' : 'is'} ${written ?? 'char'}: PostgreSQL pads its values with spaces, ignores trailing spaces when comparing, and it is no faster than varchar or text.`,
          help: 'Use text (with a CHECK on its length if the limit matters) or varchar(n).',
          replacement: replacement
            ? { title: `Use ${replacement}`, text: replacement, preferred: true }
            : undefined,
        };
      },
    });
  },
};
