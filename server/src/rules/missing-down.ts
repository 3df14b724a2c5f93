/**
 * missing-down: the migration's format keeps DOWN migrations but this one has none, so it cannot
 * be rolled back with the runner. An existing but empty DOWN section or file counts as present: it
 * says "irreversible" on purpose. A file linted without its folder, in a format that keeps the
 * DOWN in a file of its own, is not judged: the DOWN file may well exist. Nor is a folder where no
 * migration has a DOWN: that team rolls forward, and a finding on every file would be noise.
 * Advice only; generating the DOWN is left to a later fix.
 */
import { disableForFile } from '../linter/fixes';
import type { Rule } from '../linter/types';

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
    ctx.report(this.id, {
      file: file.path,
      start: 0,
      end: file.index.lineEnd(0),
      message: `Migration ${m.label} has no DOWN section: the runner cannot roll it back.`,
      help: 'Add a DOWN that undoes the UP, or an empty DOWN to state that the migration is irreversible.',
      fixes: [disableForFile(file, this.id)],
    });
  },
};
