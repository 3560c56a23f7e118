/**
 * Secrets that can ride inside an import source or a library's error text: the user-info of a URL
 * (`https://user:password@host/`, `https://token@host/`) and query parameters whose name says
 * they are a credential (`?token=…`, `X-Amz-Signature=…`). Everything that stores or shows a
 * message — the import ledger, the job queue, the logs, the admin view, the command line — passes
 * it through `redactText` first, because a library (fetch, zlib, the database driver) may repeat
 * the whole URL in its own words.
 */

const SENSITIVE_PARAM = /(?:^|[-_.])(?:token|key|secret|password|passwd|pass|pwd|auth|authorization|sig|signature|credential|credentials|session|code)$/i;

/** A URL with its password (or a lone user-info, often a token) and credential parameters masked. */
export function redact(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return redactText(value);
  }
  if (url.password) url.password = '***';
  else if (url.username) url.username = '***';
  for (const name of [...url.searchParams.keys()]) if (SENSITIVE_PARAM.test(name)) url.searchParams.set(name, '***');
  return url.toString();
}

// scheme://userinfo@ — userinfo stops at the first '/', '@' or white space; its password after ':'.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@?#]*)@/gi;
// ?name=value or &name=value, also as they appear inside a longer message.
const PARAM = /([?&;])([^\s=&#?;]+)=([^\s&#;"')]*)/g;

/** Any text with the secrets of every URL it contains masked (the rest of the text kept). */
export function redactText(text: string): string {
  return text
    .replace(USERINFO, (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon >= 0 ? `${scheme}${userinfo.slice(0, colon)}:***@` : `${scheme}***@`;
    })
    .replace(PARAM, (m, sep: string, name: string) => (SENSITIVE_PARAM.test(decodeSafe(name)) ? `${sep}${name}=***` : m));
}

/** An error's message (and stack) with secrets masked; other errors come back as they were. */
export function redactError<E>(err: E): E {
  if (!(err instanceof Error)) return (typeof err === 'string' ? redactText(err) : err) as E;
  const message = redactText(err.message);
  const stack = err.stack === undefined ? undefined : redactText(err.stack);
  if (message === err.message && stack === err.stack) return err;
  try {
    err.message = message;
    if (stack !== undefined) err.stack = stack;
    return err;
  } catch {
    const copy = new Error(message);
    copy.name = err.name;
    if (stack !== undefined) copy.stack = stack;
    return copy as E;
  }
}

/** A plain value (log fields, a job's view) with every string in it redacted; depth-bounded. */
export function redactDeep<T>(value: T, depth = 6): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactError(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth - 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, depth - 1);
  return out as T;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
