/**
 * syntax-error: what PostgreSQL's own parser rejects. A syntax error costs only its statement; the
 * rest of the file is still linted.
 */
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'syntax-error',
  summary: "PostgreSQL's parser rejects this statement.",
  defaultSeverity: 'error',
  checkSection(ctx) {
    for (const e of ctx.section.parsed.errors) {
      ctx.report(this.id, {
        start: e.start,
        end: e.end,
        message: e.message,
        help: /\{\{|\}\}/.test(ctx.file.text.slice(e.statementStart, e.statementEnd))
          ? 'The statement contains template placeholders ({{ … }}); pgmig lints SQL as PostgreSQL receives it.'
          : undefined,
      });
    }
  },
};
