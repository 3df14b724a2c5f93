/**
 * Where on a DOWN section a round-trip difference belongs: the DOWN statement that names the
 * object (the DROP that should have removed it, the ALTER that restored the wrong type), else the
 * section's marker line, so the editor shows it on the part of the file that needs the fix.
 */
import type { Section } from '../folder/model';
import type { Ast, Statement } from '../parser/parse';
import type { Located } from './roundTripTypes';

/** Names to look for, most specific first: `column users.email` → users.email, email, users. */
export function namesOf(object: string): string[] {
  const body = object.replace(/^[a-z ]+? (?=\S)/, '').replace(/\(.*$/, '');
  const parts = body.split('.').filter((p) => p !== '');
  const out = [body, ...parts.slice().reverse()];
  return [...new Set(out.filter((n) => n !== ''))];
}

function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])"?${escaped}"?($|[^A-Za-z0-9_$])`, 'i').test(text);
}

export function sectionAnchor(s: Section): Located {
  const start = s.marker?.start ?? s.start;
  const end = s.marker?.end ?? s.file.index.lineEnd(s.file.index.lineAt(s.start));
  return {
    file: s.file.path,
    start,
    end,
    range: { start: s.file.index.positionAt(start), end: s.file.index.positionAt(end) },
  };
}

/** The relations a statement acts on, as written (`users`, `public.users`). */
function targets(st: Statement): string[] {
  const a = st.ast ?? {};
  const rels = [a.relation, a.view, ...(a.relations ?? []).map((r: Ast) => r?.RangeVar)].filter(
    Boolean,
  );
  const out = rels.map((r: Ast) => r.relname as string);
  for (const o of a.objects ?? []) {
    const items = (o?.List?.items ?? []).map((i: Ast) => i?.String?.sval).filter(Boolean);
    if (items.length > 0) out.push(items[items.length - 1]);
  }
  return out.filter((n): n is string => typeof n === 'string');
}

/**
 * The DOWN statement that best matches the object: one that names it (column or index name) and
 * acts on its table scores highest, then one that names it, then one that acts on its table.
 */
export function locateOnSections(sections: readonly Section[], object: string): Located {
  const names = namesOf(object);
  const own = names.length > 1 ? names[1] : names[0];
  const table = names.length > 2 ? names[2] : undefined;
  let best: { s: Section; st: Statement; score: number } | undefined;
  for (const s of sections)
    for (const st of s.parsed.statements) {
      const acts = targets(st).map((t) => t.toLowerCase());
      let score = 0;
      if (own && mentions(st.text, own)) score += 2;
      if (acts.includes((table ?? own ?? '').toLowerCase())) score += 1;
      if (score > (best?.score ?? 0)) best = { s, st, score };
    }
  if (!best) return sectionAnchor(sections[0]);
  const idx = best.s.file.index;
  return {
    file: best.s.file.path,
    start: best.st.start,
    end: best.st.end,
    range: { start: idx.positionAt(best.st.start), end: idx.positionAt(best.st.end) },
  };
}
