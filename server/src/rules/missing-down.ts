/**
 * missing-down: the migration's format keeps DOWN migrations but this one has none, so it cannot
 * be rolled back with the runner. An existing but empty DOWN section or file counts as present: it
 * says "irreversible" on purpose. A file linted without its folder, in a format that keeps the
 * DOWN in a file of its own, is not judged: the DOWN file may well exist. Nor is a folder where no
 * migration has a DOWN: that team rolls forward, and a finding on every file would be noise.
 * The fix writes a DOWN generated from the schema model where the runner reads it (preferred
 * when it undoes every statement; otherwise its TODOs say what is left to do by hand).
 */
import { generateDown } from '../downgen/generate';
import { downEdits } from '../downgen/write';
import type { Migration } from '../folder/model';
import { disableForFile } from '../linter/fixes';
import type { Fix, MigrationContext, Rule } from '../linter/types';

export const rule: Rule = {
  id: 'missing-down',
  summary: 'The migration has no DOWN although its format supports one.',
  defaultSeverity: 'info',
  checkMigration(ctx) {
    const m = ctx.migration;
    if (!m.formatHasDown || m.sections.some((s) => s.kind === 'down')) return;
    if (!ctx.folder && m.downTarget?.kind === 'file') return;
    if (ctx.folder && !ctx.folder.migrations.some((x) => x.sections.some((s) => s.kind === 'down')))
      return;
    const file = m.files[0];
    if (!file) return;
    const generated = generateFix(ctx, m);
    ctx.report(this.id, {
      file: file.path,
      start: 0,
      end: file.index.lineEnd(0),
      message: `Migration ${m.label} has no DOWN section: the runner cannot roll it back.`,
      help: 'Add a DOWN that undoes the UP (the fix generates one from the schema model), or an empty DOWN to state that the migration is irreversible.',
      fixes: [...(generated ? [generated] : []), disableForFile(file, this.id)],
    });
  },
};

function generateFix(ctx: MigrationContext, m: Migration): Fix | undefined {
  const before = ctx.catalogBeforeUp;
  const ups = m.sections.filter((s) => s.kind === 'up');
  // statements that did not parse would be missing from the DOWN
  if (!before || ups.some((s) => s.parsed.errors.length > 0)) return undefined;
  let plan;
  try {
    plan = generateDown(
      ups.flatMap((s) => s.parsed.statements),
      before,
      { migrationId: m.id },
    );
  } catch {
    // a generator bug must cost the fix, never the lint (pgmig down-gen reports it instead)
    return undefined;
  }
  const w = downEdits(m, plan);
  if ('error' in w) return undefined;
  return {
    title: plan.complete ? 'Generate DOWN' : 'Generate DOWN (with TODOs for what it cannot undo)',
    preferred: plan.complete,
    edits: w.edits,
  };
}
