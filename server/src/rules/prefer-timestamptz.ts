/**
 * prefer-timestamptz: timestamp (without time zone) stores a wall-clock reading with no offset:
 * the same instant written from two time zones becomes two values, and local times in a DST
 * change are ambiguous. timestamptz stores the instant (same 8 bytes) and shows it in the
 * session's TimeZone. Style: info. squawk spells the id prefer-timestamp-tz; both are accepted.
 */
import { checkColumnTypes } from '../linter/typeStyle';
import { isBuiltinName, typeNameOf } from '../linter/columnTypes';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'prefer-timestamptz',
  summary: 'A timestamp without time zone stores no offset, so instants from different zones mix.',
  defaultSeverity: 'info',
  check(ctx) {
    checkColumnTypes(ctx, this.id, {
      flags: (use) => isBuiltinName(use.typeName) && typeNameOf(use.typeName) === 'timestamp',
      verdict(use, where, written) {
        const m =
          /^(?:pg_catalog\.)?timestamp(\(\d+\))?(?: without time zone)?((?:\[\d*\])*)$/.exec(
            written ?? '',
          );
        const replacement = m ? `timestamptz${m[1] ?? ''}${m[2] ?? ''}` : undefined;
        return {
          message: `${where} ${use.kind === 'alter' ? 'becomes' : 'is'} timestamp without time zone: it stores a wall-clock reading with no offset, so the same instant written from two time zones is stored as two different values.`,
          help: 'Use timestamptz: it stores the instant itself (8 bytes, like timestamp) and shows it in the session TimeZone.',
          replacement: replacement
            ? { title: `Use ${replacement}`, text: replacement, preferred: true }
            : undefined,
        };
      },
    });
  },
};
