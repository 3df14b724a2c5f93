/**
 * prefer-jsonb: json keeps the input text and re-parses it on every access; it has no equality
 * operator (no DISTINCT, GROUP BY, UNIQUE) and no GIN index. jsonb is stored parsed. Keep json
 * only when key order, duplicate keys or exact formatting must survive. Style: info.
 */
import { arraySuffix, checkColumnTypes } from '../linter/typeStyle';
import { isBuiltinName, typeNameOf } from '../linter/columnTypes';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'prefer-jsonb',
  summary: 'A json column is re-parsed on every access and cannot be compared or GIN-indexed.',
  defaultSeverity: 'info',
  check(ctx) {
    checkColumnTypes(ctx, this.id, {
      flags: (use) => isBuiltinName(use.typeName) && typeNameOf(use.typeName) === 'json',
      verdict(use, where, written) {
        const replacement = /^(?:pg_catalog\.)?json(?:\[\d*\])*$/.test(written ?? '')
          ? `jsonb${arraySuffix(written ?? '')}`
          : undefined;
        return {
          message: `${where} ${use.kind === 'alter' ? 'becomes' : 'is'} json: the text is re-parsed on every access, and json has no equality operator (no DISTINCT, GROUP BY or UNIQUE) and no GIN index.`,
          help: 'Use jsonb, unless key order, duplicate keys or exact whitespace must be kept.',
          replacement: replacement
            ? { title: `Use ${replacement}`, text: replacement, preferred: true }
            : undefined,
        };
      },
    });
  },
};
