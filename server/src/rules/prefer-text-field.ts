/**
 * prefer-text-field: a varchar(n) column's limit is part of its type, so changing it later is an
 * ALTER COLUMN … TYPE under an ACCESS EXCLUSIVE lock (and lowering it rewrites the table). The
 * same limit as a CHECK on a text column is replaced without blocking: add the new CHECK NOT VALID,
 * VALIDATE it, drop the old one. Style: info.
 */
import { quoteIdent } from '../parser/ast';
import { checkColumnTypes } from '../linter/typeStyle';
import { isBuiltinName, typeNameOf } from '../linter/columnTypes';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'prefer-text-field',
  summary:
    'A varchar(n) limit can only change under an ACCESS EXCLUSIVE lock; text with a CHECK can.',
  defaultSeverity: 'info',
  check(ctx) {
    checkColumnTypes(ctx, this.id, {
      flags: (use) =>
        isBuiltinName(use.typeName) &&
        typeNameOf(use.typeName) === 'varchar' &&
        (use.typeName.typmods?.length ?? 0) > 0,
      verdict(use, where, written, c) {
        const n = /^(?:varchar|character varying|char varying|pg_catalog\.varchar)\((\d+)\)$/.exec(
          written ?? '',
        )?.[1];
        const check = `text CHECK (char_length(${quoteIdent(use.column)}) <= ${n})`;
        // a new column of an existing table would have the CHECK validated by a scan under ACCESS
        // EXCLUSIVE: still offered, not preferred
        const key = `${c.stmt.ast.relation?.schemaname ?? 'public'}.${c.stmt.ast.relation?.relname}`;
        const newTable = use.kind === 'create' || c.isNewTable(key);
        return {
          message: `${where} ${use.kind === 'alter' ? 'becomes' : 'is'} ${written ?? 'varchar(n)'}: changing that limit later is an ALTER COLUMN … TYPE under an ACCESS EXCLUSIVE lock (lowering it rewrites the table).`,
          help: 'Use text, with a CHECK (char_length(col) <= n) if the limit matters: a CHECK can be replaced without blocking (ADD … NOT VALID, VALIDATE, DROP the old one).',
          replacement: n ? { title: `Use ${check}`, text: check, preferred: newTable } : undefined,
          alternatives: n ? [{ title: 'Use text (no length limit)', text: 'text' }] : undefined,
        };
      },
    });
  },
};
