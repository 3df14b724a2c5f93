/**
 * The extension's snippets (snippets/pgsql-migration.code-snippets): every one is well-formed, and its
 * body — with each tab stop, placeholder, choice and variable replaced by what VS Code would insert
 * when the user just tabs through — is valid PostgreSQL, checked with the real parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, isValidSql } from '../../server/src/parser/parse';

const FILE = join(__dirname, '../../snippets/pgsql-migration.code-snippets');

interface Snippet {
  scope?: string;
  prefix: string | string[];
  body: string | string[];
  description: string;
}

/** `.code-snippets` files are JSON with comments and trailing commas (VS Code's jsonc). */
function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else if (c === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) {
      // trailing comma: dropped
    } else {
      out += c;
    }
  }
  return JSON.parse(out);
}

// ---- VS Code's snippet syntax, as far as a body renders with the defaults ----

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'tabstop'; index: number; children?: Node[]; choices?: string[] }
  | { kind: 'variable'; name: string; children?: Node[] };

const VAR = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** Parses a snippet body; `nested` stops at the `}` closing a placeholder or variable default. */
function parseSnippet(src: string, start = 0, nested = false): { nodes: Node[]; end: number } {
  const nodes: Node[] = [];
  let text = '';
  const flush = () => {
    if (text) nodes.push({ kind: 'text', text });
    text = '';
  };
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && '$}\\'.includes(src[i + 1] ?? '')) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '}' && nested) {
      flush();
      return { nodes, end: i + 1 };
    }
    if (c !== '$') {
      text += c;
      i++;
      continue;
    }
    const rest = src.slice(i + 1);
    let m: RegExpExecArray | null;
    if ((m = /^\d+/.exec(rest))) {
      flush();
      nodes.push({ kind: 'tabstop', index: Number(m[0]) });
      i += 1 + m[0].length;
    } else if ((m = VAR.exec(rest))) {
      flush();
      nodes.push({ kind: 'variable', name: m[0] });
      i += 1 + m[0].length;
    } else if ((m = /^\{(\d+)\}/.exec(rest))) {
      flush();
      nodes.push({ kind: 'tabstop', index: Number(m[1]) });
      i += 1 + m[0].length;
    } else if ((m = /^\{(\d+):/.exec(rest))) {
      flush();
      const inner = parseSnippet(src, i + 1 + m[0].length, true);
      nodes.push({ kind: 'tabstop', index: Number(m[1]), children: inner.nodes });
      i = inner.end;
    } else if ((m = /^\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(rest))) {
      flush();
      const choices = m[2].split(/(?<!\\),/).map((s) => s.replace(/\\(.)/g, '$1'));
      nodes.push({ kind: 'tabstop', index: Number(m[1]), choices });
      i += 1 + m[0].length;
    } else if ((m = /^\{([_a-zA-Z][_a-zA-Z0-9]*)\}/.exec(rest))) {
      flush();
      nodes.push({ kind: 'variable', name: m[1] });
      i += 1 + m[0].length;
    } else if ((m = /^\{([_a-zA-Z][_a-zA-Z0-9]*):/.exec(rest))) {
      flush();
      const inner = parseSnippet(src, i + 1 + m[0].length, true);
      nodes.push({ kind: 'variable', name: m[1], children: inner.nodes });
      i = inner.end;
    } else if (/^\{[_a-zA-Z0-9]+\//.test(rest)) {
      throw new Error(`transforms are not supported by this test: ${src.slice(i, i + 40)}`);
    } else {
      text += c;
      i++;
    }
  }
  if (nested) throw new Error(`unclosed placeholder starting before offset ${start}`);
  flush();
  return { nodes, end: i };
}

/** What VS Code inserts for a variable that has no default. */
const VARIABLES: Record<string, string> = {
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  CLIPBOARD: '',
  TM_FILENAME: 'migration.sql',
  TM_FILENAME_BASE: 'migration',
  CURRENT_YEAR: '2025',
  CURRENT_MONTH: '01',
  CURRENT_DATE: '01',
  CURRENT_HOUR: '12',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
};

/**
 * The text VS Code inserts when the user accepts every default: `${1:foo}` → foo, and every other
 * `$1` mirrors it; a tab stop without a default anywhere becomes an identifier, `$0` nothing;
 * a choice its first option; a variable its value or default.
 */
function renderDefaults(body: string): string {
  const { nodes } = parseSnippet(body);
  const defaults = new Map<number, Node[]>();
  const collect = (ns: Node[]) => {
    for (const n of ns) {
      if (n.kind === 'tabstop' && n.children && !defaults.has(n.index)) {
        defaults.set(n.index, n.children);
      }
      if (n.kind !== 'text' && n.children) collect(n.children);
    }
  };
  collect(nodes);
  const render = (ns: Node[], seen: number[]): string =>
    ns
      .map((n) => {
        if (n.kind === 'text') return n.text;
        if (n.kind === 'variable') {
          if (n.children) return render(n.children, seen);
          return VARIABLES[n.name] ?? n.name.toLowerCase();
        }
        if (n.choices) return n.choices[0];
        if (seen.includes(n.index)) throw new Error(`tab stop $${n.index} contains itself`);
        const content = n.children ?? defaults.get(n.index);
        if (content) return render(content, [...seen, n.index]);
        return n.index === 0 ? '' : `placeholder_${n.index}`;
      })
      .join('');
  return render(nodes, []);
}

const snippets = Object.entries(parseJsonc(readFileSync(FILE, 'utf8')) as Record<string, Snippet>);
const bodyOf = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);
const prefixesOf = (s: Snippet) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]);

beforeAll(() => initParser());

describe('renderDefaults', () => {
  it('takes defaults, mirrors them, and resolves nested placeholders and escapes', () => {
    expect(renderDefaults('ALTER TABLE ${1:t} ADD ${2:c} int; -- ${1}.$2')).toBe(
      'ALTER TABLE t ADD c int; -- t.c',
    );
    expect(renderDefaults('CREATE INDEX ${3:${1:t}_${2:c}_idx} ON $1 ($2);$0')).toBe(
      'CREATE INDEX t_c_idx ON t (c);',
    );
    expect(renderDefaults('DO \\$\\$ BEGIN END \\$\\$; SELECT $1, ${2|a,b|}')).toBe(
      'DO $$ BEGIN END $$; SELECT placeholder_1, a',
    );
    expect(renderDefaults('${TM_SELECTED_TEXT:${1:-- x}} $TM_FILENAME_BASE ${2:\\}}')).toBe(
      '-- x migration }',
    );
    expect(() => renderDefaults('${1:unclosed')).toThrow(/unclosed/);
  });
});

describe('snippets', () => {
  it('has snippets, each prefix used once', () => {
    expect(snippets.length).toBeGreaterThan(20);
    const prefixes = snippets.flatMap(([, s]) => prefixesOf(s));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it.each(snippets)('%s: has a pgmig- prefix, a body and a description', (_name, s) => {
    for (const p of prefixesOf(s)) expect(p).toMatch(/^pgmig-[a-z0-9-]+$/);
    expect(bodyOf(s).trim().length).toBeGreaterThan(0);
    expect(typeof s.description).toBe('string');
    expect(s.description.length).toBeGreaterThan(10);
    if (s.scope !== undefined) expect(s.scope).toBe('sql');
  });

  it.each(snippets)('%s: is valid PostgreSQL with the defaults filled in', (_name, s) => {
    const sql = renderDefaults(bodyOf(s));
    expect(sql).not.toContain('${');
    expect(sql).not.toMatch(/placeholder_\d/);
    expect(isValidSql(sql), sql).toBe(true);
  });
});
