/**
 * Text that has no UTF-8 form is refused at the door, whichever database is behind. A JSON
 * string may hold a lone UTF-16 surrogate (`"\udc00"`): PostgreSQL's driver took it, PGlite
 * failed on it with a 500. A query string may hold invalid UTF-8 behind percent signs
 * (`%ED%B0%80`): fastify's parser keeps such a value undecoded, so it was searched for as its
 * raw text. A path parameter of that kind never gets here: the router refuses it
 * (router-errors.ts names it).
 */

/** The 400 message for the request's first field that is not valid text, or null. */
export function unencodableField(request: { url: string; params: unknown; query: unknown; body: unknown }): string | null {
  const query = badQueryComponent(request.url);
  if (query) return `${query} must be valid UTF-8 text (its percent-escapes are not UTF-8)`;
  for (const [part, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const field = firstIllFormed(value, part);
    if (field) return `${field} must be valid UTF-8 text (it holds a lone UTF-16 surrogate)`;
  }
  return null;
}

// Node 20 has String.prototype.isWellFormed (ES2024); the project's lib is ES2023.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Walks without recursion: a 64 KiB body can nest thousands of levels deep. */
function firstIllFormed(root: unknown, rootPath: string): string | null {
  const stack: Array<[unknown, string]> = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (!isWellFormed(value)) return path;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    // Pushed last to first, so the first bad field in reading order is the one named.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (!isWellFormed(key)) return `${path} (a field name)`;
      stack.push([child, `${path}/${key}`]);
    }
  }
  return null;
}

/** `querystring/<name>` of the first query parameter whose name or value is not percent-encoded UTF-8. */
function badQueryComponent(url: string): string | null {
  const start = url.indexOf('?');
  if (start < 0 || !url.includes('%', start)) return null;
  for (const pair of url.slice(start + 1).split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const name = decodeComponent(rawName);
    if (name === null) return `querystring/${rawName.slice(0, 40)}`;
    if (eq >= 0 && decodeComponent(pair.slice(eq + 1)) === null) return `querystring/${name.slice(0, 40)}`;
  }
  return null;
}

/** The text of a query component, or null when its escapes are not UTF-8. A `%` that starts no escape stays text, as fastify's parser keeps it. */
function decodeComponent(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ').replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return null;
  }
}
