/** Test helpers: the DOWN pgmig generates for an UP, after some earlier migrations. */
import { generateDown } from '../../../server/src/downgen/generate';
import { renderDown } from '../../../server/src/downgen/render';
import type { DownPlan } from '../../../server/src/downgen/types';
import type { FormatId } from '../../../server/src/folder/model';
import { parseSql } from '../../../server/src/parser/parse';
import { applyStatement } from '../../../server/src/schema/apply';
import { Catalog } from '../../../server/src/schema/catalog';
import { TextIndex } from '../../../server/src/text/positions';

export { initParser } from '../../../server/src/parser/parse';

function statements(sql: string) {
  const r = parseSql(new TextIndex(sql));
  if (r.errors.length) throw new Error(r.errors[0].message);
  return r.statements;
}

/** The schema model after `sql` (earlier migrations). */
export function model(sql: string): Catalog {
  const c = new Catalog();
  for (const s of statements(sql)) applyStatement(c, s, 'earlier');
  return c;
}

export function plan(earlier: string, up: string): DownPlan {
  return generateDown(statements(up), model(earlier), { migrationId: 'up' });
}

/** The DOWN as text (plain format unless told). */
export function down(earlier: string, up: string, format: FormatId = 'plain'): string {
  return renderDown(plan(earlier, up), format);
}

/** The DOWN's statements and comments as lines, for exact comparisons. */
export function lines(earlier: string, up: string): string[] {
  return down(earlier, up).trimEnd().split('\n');
}
