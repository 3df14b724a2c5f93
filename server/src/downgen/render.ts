/**
 * A DownPlan as SQL text: TODOs and notes as comments above their statement. goose needs
 * statements that contain semicolons (function bodies) between StatementBegin / StatementEnd.
 */
import type { FormatId } from '../folder/model';
import type { DownPlan } from './types';

export const TODO_PREFIX = '-- TODO(pgmig): ';

export function renderDown(plan: DownPlan, format: FormatId, nl = '\n'): string {
  const out: string[] = [];
  for (const item of plan.items) {
    if (item.todo) out.push(...commentLines(item.todo, TODO_PREFIX));
    if (item.note) out.push(...commentLines(item.note, '-- '));
    if (!item.sql) continue;
    const sql = `${item.sql};`;
    if (format === 'goose' && item.sql.includes(';'))
      out.push('-- +goose StatementBegin', sql, '-- +goose StatementEnd');
    else out.push(sql);
  }
  if (out.length === 0) out.push('-- nothing to undo: the UP changes no schema');
  return out.join(nl) + nl;
}

/** The first line gets the prefix; lines that are already comments stay as they are. */
function commentLines(text: string, prefix: string): string[] {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? prefix + l : l.startsWith('--') ? l : `-- ${l}`));
}
