/**
 * Suppression comments: pgmig's own `-- pgmig-ignore <rule>[, <rule>…] [reason]` and
 * `-- pgmig-ignore-file [rules] [reason]`, and squawk's `-- squawk-ignore` / `-- squawk-ignore-file`
 * so that teams moving from squawk keep theirs. A line comment applies to the statement that
 * follows it (or to the statement it trails on the same line); a file comment to the whole file.
 * Without rule names, every rule is suppressed.
 */
import type { Migration, SourceFile } from '../folder/model';
import type { Violation } from './types';
import { canonicalRuleId } from './ruleAliases';

export interface IgnoreComment {
  file: string;
  start: number;
  end: number;
  scope: 'line' | 'file';
  /** Empty = all rules. */
  rules: string[];
  reason?: string;
  tool: 'pgmig' | 'squawk';
}

const COMMENT = /--\s*(pgmig|squawk)-ignore(-file)?\b([^\n\r]*)/g;
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

export function findIgnores(file: SourceFile): IgnoreComment[] {
  const out: IgnoreComment[] = [];
  if (!file.text.includes('-ignore')) return out;
  for (const m of file.text.matchAll(COMMENT)) {
    const words = m[3]
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean);
    const rules: string[] = [];
    let i = 0;
    for (; i < words.length; i++) {
      const w = words[i].replace(/:$/, '');
      if (!RULE_ID.test(w)) break;
      rules.push(canonicalRuleId(w));
      if (words[i].endsWith(':')) {
        i++;
        break;
      }
    }
    const reason = words.slice(i).join(' ') || undefined;
    out.push({
      file: file.path,
      start: m.index,
      end: m.index + m[0].length,
      scope: m[2] ? 'file' : 'line',
      rules,
      reason,
      tool: m[1] as 'pgmig' | 'squawk',
    });
  }
  return out;
}

interface Span {
  start: number;
  end: number;
}

export function applyIgnores(migration: Migration, violations: Violation[]): Violation[] {
  if (violations.length === 0) return violations;
  const perFile = new Map<
    string,
    { ignores: IgnoreComment[]; statements: Span[]; file: SourceFile }
  >();
  for (const file of migration.files) {
    const ignores = findIgnores(file);
    if (ignores.length === 0) continue;
    const statements: Span[] = [];
    for (const s of migration.sections)
      if (s.file === file) {
        for (const st of s.parsed.statements)
          statements.push({ start: st.start, end: st.terminatorEnd });
        for (const e of s.parsed.errors)
          statements.push({ start: e.statementStart, end: e.statementEnd });
      }
    statements.sort((a, b) => a.start - b.start);
    perFile.set(file.path, { ignores, statements, file });
  }
  if (perFile.size === 0) return violations;
  return violations.filter((v) => {
    const f = perFile.get(v.file);
    if (!f) return true;
    return !f.ignores.some((ig) => covers(ig, v, f.statements, f.file));
  });
}

function covers(ig: IgnoreComment, v: Violation, statements: Span[], file: SourceFile): boolean {
  if (ig.rules.length > 0 && !ig.rules.includes(v.rule)) return false;
  if (ig.scope === 'file') return true;
  const line = file.index.lineAt(ig.start);
  // a comment between a statement's first and last token belongs to that statement
  let target = statements.find((s) => s.start < ig.start && ig.start < s.end);
  // trailing comment: the last statement that ends on the comment's line before it
  for (let i = statements.length - 1; !target && i >= 0; i--) {
    const s = statements[i];
    if (s.start < ig.start && s.end <= ig.start + 1 && file.index.lineAt(s.end) === line)
      target = s;
  }
  target ??= statements.find((s) => s.start >= ig.end);
  if (!target) return false;
  return v.start >= target.start && v.start <= target.end;
}
