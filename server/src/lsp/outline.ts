/**
 * The outline of a migration file: one symbol per section (UP, DOWN, with the runner's marker
 * and transaction mode) holding one symbol per statement; folding ranges for sections and for
 * statements that span lines.
 */
import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
} from 'vscode-languageserver/node';
import type { Section, SourceFile } from '../folder/model';
import type { Statement } from '../parser/parse';

const KIND: Record<string, SymbolKind> = {
  CreateStmt: SymbolKind.Struct,
  CreateTableAsStmt: SymbolKind.Struct,
  AlterTableStmt: SymbolKind.Field,
  IndexStmt: SymbolKind.Key,
  DropStmt: SymbolKind.Event,
  RenameStmt: SymbolKind.Property,
  CreateFunctionStmt: SymbolKind.Function,
  CreateTrigStmt: SymbolKind.Event,
  ViewStmt: SymbolKind.Interface,
  CreateEnumStmt: SymbolKind.Enum,
  AlterEnumStmt: SymbolKind.EnumMember,
  CreateSeqStmt: SymbolKind.Number,
  CreateSchemaStmt: SymbolKind.Namespace,
  VariableSetStmt: SymbolKind.Variable,
  TransactionStmt: SymbolKind.Operator,
  InsertStmt: SymbolKind.Event,
  UpdateStmt: SymbolKind.Event,
  DeleteStmt: SymbolKind.Event,
  DoStmt: SymbolKind.Function,
};

/** The statement as a one-line name: its first line, shortened. */
function statementName(s: Statement): string {
  const line = s.text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('--'));
  const name = (line ?? s.kind).replace(/\s+/g, ' ');
  return name.length > 80 ? `${name.slice(0, 79)}…` : name;
}

function sectionName(section: Section): string {
  const kind = section.kind.toUpperCase();
  const marker = section.marker?.text.trim();
  return marker ? `${kind}  ${marker}` : kind;
}

/** Start of a section including its marker line. */
function sectionStart(section: Section): number {
  return section.marker ? Math.min(section.marker.start, section.start) : section.start;
}

export function documentSymbols(file: SourceFile, sections: Section[]): DocumentSymbol[] {
  const { index } = file;
  return sections.map((section) => {
    const start = sectionStart(section);
    const end = Math.max(start, section.end);
    const selectionEnd = section.marker ? section.marker.end : Math.min(end, start + 1);
    return {
      name: sectionName(section),
      detail: section.transactionSource,
      kind: SymbolKind.Namespace,
      range: index.rangeOf(start, end),
      selectionRange: index.rangeOf(start, Math.max(start, selectionEnd)),
      children: section.parsed.statements.map((s) => ({
        name: statementName(s),
        detail: s.kind,
        kind: KIND[s.kind] ?? SymbolKind.Object,
        range: index.rangeOf(s.start, s.terminatorEnd),
        selectionRange: index.rangeOf(s.start, s.end),
      })),
    };
  });
}

export function foldingRanges(file: SourceFile, sections: Section[]): FoldingRange[] {
  const { index } = file;
  const out: FoldingRange[] = [];
  for (const section of sections) {
    const startLine = index.lineAt(sectionStart(section));
    // up to the last line with content, so the next marker line stays visible
    let end = section.end;
    while (end > section.start && /\s/.test(file.text[end - 1])) end--;
    const endLine = index.lineAt(Math.max(end - 1, section.start));
    if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Region });
    for (const s of section.parsed.statements) {
      const a = index.lineAt(s.start);
      const b = index.lineAt(s.end);
      if (b > a) out.push({ startLine: a, endLine: b });
    }
  }
  return out;
}
