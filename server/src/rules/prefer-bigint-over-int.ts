/**
 * prefer-bigint-over-int: a 32-bit integer column (integer, int, int4, serial) runs out at
 * 2,147,483,647; an id column reaches that on a busy table, and widening it then rewrites the
 * table under an ACCESS EXCLUSIVE lock. bigint costs 4 bytes more per row. Style: info.
 */
import { arraySuffix, checkColumnTypes } from '../linter/typeStyle';
import { isBuiltinName, typeNameOf } from '../linter/columnTypes';
import type { Rule } from '../linter/types';

const INT = new Set(['int4', 'serial', 'serial4']);

export const rule: Rule = {
  id: 'prefer-bigint-over-int',
  summary:
    'A 32-bit integer column overflows at 2,147,483,647; widening it later rewrites the table.',
  defaultSeverity: 'info',
  check(ctx) {
    checkColumnTypes(ctx, this.id, {
      allowForeignKeys: true,
      flags: (use) => isBuiltinName(use.typeName) && INT.has(typeNameOf(use.typeName)),
      verdict(use, where, written) {
        const serial = typeNameOf(use.typeName).startsWith('serial');
        const replacement = serial
          ? /^serial4?$/.test(written ?? '') && 'bigserial'
          : /^(int|integer|int4|pg_catalog\.int4)(\[\d*\])*$/.test(written ?? '') &&
            `bigint${arraySuffix(written ?? '')}`;
        return {
          message: `${where} ${use.kind === 'alter' ? 'becomes' : 'is'} a 32-bit integer${serial ? ' (serial)' : ''}: it overflows at 2,147,483,647, and widening it then rewrites the table under an ACCESS EXCLUSIVE lock.`,
          help: `Use ${serial ? 'bigserial (or bigint GENERATED … AS IDENTITY)' : 'bigint'}: 4 more bytes per row, and no such migration ever.`,
          replacement: replacement
            ? { title: `Use ${replacement}`, text: replacement, preferred: true }
            : undefined,
        };
      },
    });
  },
};
