/**
 * Reads a workspace `.env` the way dotenv-style tools do: `KEY=value`, optional `export`, quoted
 * values (double quotes expand \n), `#` comments. Only the variables are read; nothing is
 * exported into the process environment.
 */
import { readFileSync } from 'node:fs';

export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let v = m[2];
    const q = v[0];
    if (q === '"' || q === "'" || q === '`') {
      const end = v.indexOf(q, 1);
      v = end > 0 ? v.slice(1, end) : v.slice(1);
      if (q === '"') v = v.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\"/g, '"');
    } else {
      v = v.replace(/\s+#.*$/, '').trim();
    }
    out[m[1]] = v;
  }
  return out;
}

/** The variables of a .env file, or undefined when there is no such file. */
export function readDotenv(path: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseDotenv(text);
}
