/**
 * Code actions from the fix data on pgmig's diagnostics: the preferred fix first (isPreferred),
 * the other fixes, the ignore comments for the statement and the file, and the rule's page.
 * `source.fixAll.pgmig` applies every preferred fix of the document as `pgmig lint --fix` would
 * (fixAll.ts). Fix data computed for an older version of the document is not offered: the
 * editor asks again once diagnostics are current.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver/node';
import type { DiagnosticData, FixData } from '../protocol/server';
import { SOURCE } from './diagnostics';
import type { EditBuilder } from './workspaceEdit';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pgmig`;

export interface ActionContext {
  /** Current version of the document, null when it is not open. */
  version: number | null;
  edits: EditBuilder;
  /** Command (and its argument) that shows a rule's documentation. */
  docsCommand: string;
  /** Whether a file exists (created files must not). */
  exists(uri: string): boolean;
  /** Every preferred fix of the document, fixed point (see fixAll.ts). */
  fixAll?: () => FixData | undefined;
  /** The ignore comments for a rule at a position of the document as it is now. */
  disable?: (rule: string, position: Position) => FixData[];
}

function isFixEdit(x: unknown): boolean {
  const e = x as Record<string, unknown> | null;
  return (
    !!e &&
    typeof e.start === 'number' &&
    typeof e.end === 'number' &&
    typeof e.newText === 'string' &&
    (e.uri === undefined || typeof e.uri === 'string') &&
    (e.copy === undefined ||
      (Array.isArray(e.copy) &&
        e.copy.length === 2 &&
        e.copy.every((n) => typeof n === 'number') &&
        (e.tail === undefined || typeof e.tail === 'string')))
  );
}

/**
 * The diagnostic's data and rule (its code) when it is pgmig's and well formed (clients echo it
 * back untouched).
 */
export function diagnosticData(d: Diagnostic): (DiagnosticData & { rule: string }) | undefined {
  if (d?.source !== SOURCE || typeof d.code !== 'string') return undefined;
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (!data || !Array.isArray(data.fixes)) return undefined;
  if (data.version !== null && typeof data.version !== 'number') return undefined;
  const ok = data.fixes.every(
    (f) => f && typeof f.title === 'string' && Array.isArray(f.edits) && f.edits.every(isFixEdit),
  );
  return ok ? { ...(data as DiagnosticData), rule: d.code } : undefined;
}

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function codeActions(params: CodeActionParams, ctx: ActionContext): CodeAction[] {
  const uri = params.textDocument.uri;
  const only = Array.isArray(params.context?.only) ? params.context.only : undefined;
  const diagnostics = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
  const out: CodeAction[] = [];
  // two rules can offer the very same rewrite (a foreign key without NOT VALID is both
  // adding-foreign-key-constraint and constraint-missing-not-valid): offer it once, for both
  const byEdit = new Map<string, CodeAction>();
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const d of diagnostics) {
      const data = diagnosticData(d);
      if (!data) continue;
      const current = data.version === ctx.version;
      const fixes = current
        ? [...orderFixes(data.fixes), ...(ctx.disable?.(data.rule, d.range.start) ?? [])]
        : [];
      for (const fix of fixes) {
        const edit = ctx.edits.build([fix], uri);
        if (!edit) continue;
        if (fix.edits.some((e) => e.create && ctx.exists(e.uri ?? uri))) continue;
        const key = `${fix.title}\0${JSON.stringify(edit)}`;
        const same = byEdit.get(key);
        if (same) {
          same.diagnostics!.push(d);
          if (fix.preferred && !fix.disable) same.isPreferred = true;
          continue;
        }
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          ...(fix.preferred && !fix.disable ? { isPreferred: true } : {}),
          edit,
        };
        byEdit.set(key, action);
        out.push(action);
      }
      out.push({
        title: `Show documentation for ${data.rule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: {
          title: `Show documentation for ${data.rule}`,
          command: ctx.docsCommand,
          arguments: [data.rule],
        },
      });
    }
  }
  if (only && wants(only, FIX_ALL_KIND)) {
    const all = fixAll(uri, diagnostics, ctx);
    if (all) out.push(all);
  }
  return out;
}

/** Preferred fix first, then the other fixes, then the ignore comments. */
function orderFixes(fixes: FixData[]): FixData[] {
  const rank = (f: FixData) => (f.disable ? 2 : f.preferred ? 0 : 1);
  return [...fixes].sort((a, b) => rank(a) - rank(b));
}

function fixAll(
  uri: string,
  diagnostics: Diagnostic[],
  ctx: ActionContext,
): CodeAction | undefined {
  if (!diagnostics.some((d) => diagnosticData(d)?.version === ctx.version)) return undefined;
  const fix = ctx.fixAll?.();
  if (!fix) return undefined;
  const edit = ctx.edits.build([fix], uri);
  if (!edit) return undefined;
  return {
    title: fix.title,
    kind: FIX_ALL_KIND,
    diagnostics: diagnostics.filter((d) => diagnosticData(d)),
    edit,
  };
}
