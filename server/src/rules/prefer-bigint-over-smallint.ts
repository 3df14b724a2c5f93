/**
 * prefer-bigint-over-smallint: a 16-bit integer column (smallint, int2, smallserial) overflows at
 * 32,767, and widening it later rewrites the table under an ACCESS EXCLUSIVE lock. The 6 bytes it
 * saves per row are often lost to alignment anyway. Style: info.
 */
import { arraySuffix, checkColumnTypes } from '../linter/typeStyle';
import { isBuiltinName, typeNameOf } from '../linter/columnTypes';
import type { Rule } from '../linter/types';

const SMALL = new Set(['int2', 'smallserial', 'serial2']);

export const rule: Rule = {
  id: 'prefer-bigint-over-smallint',
  summary: 'A 16-bit integer column overflows at 32,767; widening it later rewrites the table.',
  defaultSeverity: 'info',
  check(ctx) {
    checkColumnTypes(ctx, this.id, {
      allowForeignKeys: true,
      flags: (use) => isBuiltinName(use.typeName) && SMALL.has(typeNameOf(use.typeName)),
      verdict(use, where, written) {
        const serial = typeNameOf(use.typeName) !== 'int2';
        const replacement = serial
          ? /^(smallserial|serial2)$/.test(written ?? '') && 'bigserial'
          : /^(smallint|int2|pg_catalog\.int2)(\[\d*\])*$/.test(written ?? '') &&
            `bigint${arraySuffix(written ?? '')}`;
        return {
          message: `${where} ${use.kind === 'alter' ? 'becomes' : 'is'} a 16-bit integer${serial ? ' (smallserial)' : ''}: it overflows at 32,767, and widening it then rewrites the table under an ACCESS EXCLUSIVE lock.`,
          help: 'Use bigint: the bytes smallint saves are often lost to column alignment, and it never needs widening.',
          replacement: replacement
            ? { title: `Use ${replacement}`, text: replacement, preferred: true }
            : undefined,
        };
      },
    });
  },
};
