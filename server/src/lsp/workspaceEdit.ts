/**
 * Fix data (UTF-16 offsets per file) as a WorkspaceEdit: ranges computed through TextIndex from
 * the text the offsets refer to, new files as CreateFile followed by their content, edits to
 * open documents pinned to their version so an editor refuses them once the text moved on.
 */
import type {
  CreateFile,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { readSqlFile } from '../folder/read';
import type { FixData, FixEditData } from '../protocol/server';
import { TextIndex } from '../text/positions';
import { pathOfUri } from './uris';

/** What the client can apply. */
export interface EditSupport {
  documentChanges: boolean;
  createFiles: boolean;
}

/** The current text of a file: an open document's, else the disk's; undefined when absent. */
export type TextSource = (uri: string) => { text: string; version: number | null } | undefined;

export class EditBuilder {
  private readonly indexes = new Map<string, TextIndex | undefined>();

  constructor(
    private readonly read: TextSource,
    private readonly support: EditSupport,
  ) {}

  get canCreate(): boolean {
    return this.support.createFiles && this.support.documentChanges;
  }

  private index(uri: string): TextIndex | undefined {
    if (!this.indexes.has(uri)) {
      const t = this.read(uri);
      this.indexes.set(uri, t ? new TextIndex(t.text) : undefined);
    }
    return this.indexes.get(uri);
  }

  /** The edits of several fixes (non-overlapping) as one WorkspaceEdit; undefined if impossible. */
  build(fixes: FixData[], docUri: string): WorkspaceEdit | undefined {
    const creates: Array<{ uri: string; text: string }> = [];
    const byUri = new Map<string, TextEdit[]>();
    for (const fix of fixes)
      for (const e of fix.edits) {
        const uri = e.uri ?? docUri;
        if (e.create) {
          if (!this.support.createFiles || !this.support.documentChanges) return undefined;
          const text = this.content(e, docUri);
          if (text === undefined) return undefined;
          creates.push({ uri, text });
          continue;
        }
        const edit = this.textEdit(uri, e);
        if (!edit) return undefined;
        const list = byUri.get(uri) ?? [];
        list.push(edit);
        byUri.set(uri, list);
      }
    if (!this.support.documentChanges) {
      return { changes: Object.fromEntries(byUri) };
    }
    const changes: Array<TextDocumentEdit | CreateFile> = [];
    for (const [uri, edits] of byUri)
      changes.push({ textDocument: { uri, version: this.read(uri)?.version ?? null }, edits });
    for (const c of creates) {
      changes.push({
        kind: 'create',
        uri: c.uri,
        options: { overwrite: false, ignoreIfExists: false },
      });
      const start = { line: 0, character: 0 };
      changes.push({
        textDocument: { uri: c.uri, version: null },
        edits: [{ range: { start, end: start }, newText: c.text }],
      });
    }
    return { documentChanges: changes };
  }

  /** A created file's content: newText, or with `copy` the moved text of the document. */
  private content(e: FixEditData, docUri: string): string | undefined {
    if (!e.copy) return e.newText;
    const text = this.read(docUri)?.text;
    const [start, end] = e.copy;
    if (text === undefined || start < 0 || end < start || end > text.length) return undefined;
    return e.newText + text.slice(start, end) + (e.tail ?? '');
  }

  private textEdit(uri: string, e: FixEditData): TextEdit | undefined {
    const index = this.index(uri);
    if (!index || e.start < 0 || e.end < e.start || e.end > index.text.length) return undefined;
    return { range: index.rangeOf(e.start, e.end), newText: e.newText };
  }
}

/** Reads a file for fixes in documents that are not open. */
export function diskText(uri: string): { text: string; version: null } | undefined {
  const path = pathOfUri(uri);
  if (!path) return undefined;
  try {
    const r = readSqlFile(path);
    return r.problem ? undefined : { text: r.text, version: null };
  } catch {
    return undefined;
  }
}
