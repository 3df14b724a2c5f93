/**
 * Keeps passwords out of every message and log line: the userinfo password of URLs, `password=`
 * in key/value connection strings, and any known secret text wherever it appears.
 */

// Up to the last "@" of the URL: people paste passwords with a raw "@" or "/" in them.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)\S*(@)(?=[^@\s]*(?:\s|$))/gi;
// libpq escapes quotes in a quoted value with a backslash; SQL-minded users double them.
const KV_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.|'')*'|[^\s'"]+)/gi;

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(URL_PASSWORD, '$1***$2').replace(KV_PASSWORD, '$1***');
  for (const s of secrets) {
    if (!s) continue;
    out = out.split(s).join('***');
    // the URL-encoded form too, as it appears in connection strings
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('***');
  }
  return out;
}
