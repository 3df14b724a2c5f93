/**
 * Where a generated DOWN goes, as edits in the folder's own layout: a DOWN section appended to
 * the migration's file (goose, dbmate, plain `-- UP`/`-- DOWN`, node-pg-migrate), or the file the
 * runner reads the DOWN from (golang-migrate `.down.sql`, popx, diesel `down.sql`, Flyway `U`
 * file, sqitch `revert/`). The section or file keeps the UP's transaction switch when the DOWN
 * must run outside a transaction.
 */
import type { Migration, Section } from '../folder/model';
import type { Edit } from '../linter/types';
import { lineBreakOf } from '../text/positions';
import { renderDown } from './render';
import type { DownPlan } from './types';

export interface DownWrite {
  /** The file the DOWN is written to. */
  file: string;
  /** A section in the migration's own file, or a file of its own. */
  kind: 'section' | 'file';
  /** Whether a DOWN that exists is replaced. */
  replaces: boolean;
  edits: Edit[];
}

export type DownWriteResult = DownWrite | { error: string };

export function downEdits(
  migration: Migration,
  plan: DownPlan,
  options: { replace?: boolean } = {},
): DownWriteResult {
  const existing = migration.sections.find((s) => s.kind === 'down');
  if (existing && !options.replace)
    return { error: `${migration.label} already has a DOWN (${existing.file.path})` };
  const target = migration.downTarget;
  if (!migration.formatHasDown || !target)
    return { error: `${migration.format} migrations keep no DOWN` };
  if (target.kind === 'file') {
    const body = wrapLikeUp(migration, plan, renderDown(plan, migration.format));
    if (existing)
      return {
        file: existing.file.path,
        kind: 'file',
        replaces: true,
        edits: [
          { file: existing.file.path, start: 0, end: existing.file.text.length, newText: body },
        ],
      };
    return {
      file: target.path,
      kind: 'file',
      replaces: false,
      edits: [{ file: target.path, start: 0, end: 0, newText: body, createFile: true }],
    };
  }
  return sectionEdits(migration, plan, existing);
}

/**
 * sqitch scripts run as they are (psql): a deploy script that opens its own transaction gets a
 * revert script that does too.
 */
function wrapLikeUp(migration: Migration, plan: DownPlan, body: string): string {
  if (migration.format !== 'sqitch' || plan.noTransaction) return body;
  const up = migration.sections.find((s) => s.kind === 'up');
  const opens = up?.parsed.statements.some(
    (s) => s.kind === 'TransactionStmt' && /BEGIN|START/.test(String(s.ast.kind)),
  );
  return opens ? `BEGIN;\n\n${body}\nCOMMIT;\n` : body;
}

/** The marker line opening a DOWN section in this format. */
function downMarker(migration: Migration, noTransaction: boolean): string | undefined {
  switch (migration.format) {
    case 'goose':
      return '-- +goose Down';
    case 'dbmate':
      return `-- migrate:down${noTransaction ? ' transaction:false' : ''}`;
    case 'plain':
      return `-- DOWN${noTransaction ? ' no-transaction' : ''}`;
    case 'node-pg-migrate':
      return '-- Down Migration';
    default:
      return undefined;
  }
}

/** The UP marker a file without markers needs once it has a DOWN section. */
function upMarker(migration: Migration): string | undefined {
  switch (migration.format) {
    case 'plain':
      return '-- UP';
    case 'node-pg-migrate':
      return '-- Up Migration';
    default:
      return undefined;
  }
}

function sectionEdits(migration: Migration, plan: DownPlan, existing?: Section): DownWriteResult {
  const up = migration.sections.find((s) => s.kind === 'up');
  const file = up?.file ?? migration.files[0];
  if (!file) return { error: `${migration.label} has no file` };
  const nl = lineBreakOf(file.text);
  const body = renderDown(plan, migration.format, nl);
  const noTx = plan.noTransaction || up?.transaction === 'none';
  const marker = downMarker(migration, noTx);
  if (!marker) return { error: `pgmig cannot write a DOWN section for ${migration.format}` };
  if (existing) {
    return {
      file: file.path,
      kind: 'section',
      replaces: true,
      edits: [{ file: file.path, start: existing.start, end: existing.end, newText: body }],
    };
  }
  const edits: Edit[] = [];
  if (up && !up.marker) {
    const m = upMarker(migration);
    if (!m) return { error: `pgmig cannot add a DOWN section to ${migration.label}` };
    edits.push({ file: file.path, start: 0, end: 0, newText: `${m}${nl}` });
  }
  const end = file.text.length;
  const sep = end === 0 || file.text.endsWith('\n') ? '' : nl;
  edits.push({ file: file.path, start: end, end, newText: `${sep}${nl}${marker}${nl}${body}` });
  return { file: file.path, kind: 'section', replaces: false, edits };
}
