/**
 * Findings as LSP diagnostics: the rule id as code with a link to its page, pgmig as source,
 * the configured severity, related places (the CREATE TABLE in an earlier migration), and the
 * fixes as data on the diagnostic, so a code action needs nothing the server remembers. Ranges
 * come from the file's TextIndex, the one place positions are computed.
 */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver/node';
import { sourceFile } from '../folder/format';
import type { SourceFile } from '../folder/model';
import { disableForFile, disableForLine } from '../linter/fixes';
import type { Fix, Severity, Violation } from '../linter/types';
import type { DiagnosticData, FixData, FixEditData } from '../protocol/server';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'pgmig';

export function docsUrl(base: string, rule: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${rule}.md`;
}

export interface DiagnosticContext {
  docsBaseUrl: string;
  /** A file of the folder by path (for ranges of related places). */
  file(path: string): SourceFile | undefined;
  uriOf(path: string): string;
  /** Version of the open document of a path, null when not open. */
  versionOf(path: string): number | null;
  /** Files whose text is not what is on disk (unreadable): no edits are offered in them. */
  unreadable(path: string): boolean;
}

const titles = new Map<string, readonly string[]>();

/** Titles of the ignore-comment fixes rules add themselves (linter/fixes.ts), per rule. */
function disableTitles(rule: string): readonly string[] {
  let t = titles.get(rule);
  if (!t) {
    const probe = sourceFile('', '');
    t = [disableForLine(probe, 0, rule).title, disableForFile(probe, rule).title];
    titles.set(rule, t);
  }
  return t;
}

/** The ignore comments for a finding, written into the document as it is now. */
export function disableFixes(file: SourceFile, offset: number, rule: string): FixData[] {
  return [disableForLine(file, offset, rule), disableForFile(file, rule)].map((f) => ({
    title: f.title,
    disable: true,
    edits: f.edits.map((e) => ({ start: e.start, end: e.end, newText: e.newText })),
  }));
}

function fixData(fix: Fix, doc: SourceFile, ctx: DiagnosticContext): FixData {
  const removed = fix.edits.filter((e) => e.file === doc.path && e.end > e.start && !e.newText);
  return {
    title: fix.title,
    ...(fix.preferred ? { preferred: true } : {}),
    edits: fix.edits.map((e) => ({
      ...(e.file !== doc.path ? { uri: ctx.uriOf(e.file) } : {}),
      start: e.start,
      end: e.end,
      ...(e.createFile
        ? { create: true, ...movedInto(e.newText, removed, doc.text) }
        : { newText: e.newText }),
    })),
  };
}

/**
 * A created file's content, with the text it takes from the document (a part the same fix
 * removes) given by its place rather than copied: splitting a long migration would otherwise
 * send its second half with every diagnostic that offers the split.
 */
function movedInto(
  content: string,
  removed: readonly { start: number; end: number }[],
  text: string,
): Pick<FixEditData, 'newText' | 'copy' | 'tail'> {
  for (const r of removed) {
    const part = text.slice(r.start, r.end);
    const moved = part.trim();
    const at = moved.length > 0 ? content.indexOf(moved) : -1;
    if (at < 0) continue;
    const start = r.start + (part.length - part.trimStart().length);
    return {
      newText: content.slice(0, at),
      copy: [start, start + moved.length],
      tail: content.slice(at + moved.length),
    };
  }
  return { newText: content };
}

/** What a diagnostic says that its finding alone decides, kept while the finding object lives. */
interface Said {
  path: string;
  docsBaseUrl: string;
  readable: boolean;
  message: string;
  codeDescription: { href: string };
  fixes: FixData[];
}

// the language server's lint hands back the very finding objects of statements an edit did not
// move (lint journal): their message, link and fix data are built once, not on every edit
const said = new WeakMap<Violation, Said>();

function sayOnce(v: Violation, file: SourceFile, ctx: DiagnosticContext): Said {
  const readable = !ctx.unreadable(file.path);
  const known = said.get(v);
  if (
    known &&
    known.path === file.path &&
    known.docsBaseUrl === ctx.docsBaseUrl &&
    known.readable === readable
  )
    return known;
  // the ignore comments are not carried: code actions write them from the diagnostic's range
  const fixes: FixData[] = [];
  if (readable) {
    const ignores = disableTitles(v.rule);
    for (const f of v.fixes) if (!ignores.includes(f.title)) fixes.push(fixData(f, file, ctx));
  }
  const fresh: Said = {
    path: file.path,
    docsBaseUrl: ctx.docsBaseUrl,
    readable,
    message: v.help ? `${v.message}\n${v.help}` : v.message,
    codeDescription: { href: docsUrl(ctx.docsBaseUrl, v.rule) },
    fixes,
  };
  said.set(v, fresh);
  return fresh;
}

export function toDiagnostic(v: Violation, file: SourceFile, ctx: DiagnosticContext): Diagnostic {
  const { message, codeDescription, fixes } = sayOnce(v, file, ctx);
  // the rule is the diagnostic's code: data holds what code does not
  const data: DiagnosticData = { version: ctx.versionOf(file.path), fixes };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of v.related ?? []) {
    const f = r.file === file.path ? file : ctx.file(r.file);
    if (!f) continue;
    related.push({
      location: {
        uri: ctx.uriOf(r.file),
        range: f.index.rangeOf(r.start, Math.max(r.start, r.end)),
      },
      message: r.message,
    });
  }
  return {
    range: file.index.rangeOf(v.start, Math.max(v.start, v.end)),
    severity: SEVERITY[v.severity],
    code: v.rule,
    codeDescription,
    source: SOURCE,
    message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    data,
  };
}
