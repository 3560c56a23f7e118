/**
 * A one-click unsubscribe link carries its token in the path (`/u/<token>`, RFC 8058 wants a
 * URL a mail provider can POST to as it is), and the request log writes every path it serves.
 * The segment after `/u/` is masked, whatever follows it and whatever the route: a 404 under
 * `/u/…/x` or a 405 on `/u/…` is logged too. The page's own tokens travel in the URL fragment,
 * which a browser never sends.
 */
const UNSUBSCRIBE_SEGMENT = /^(\/u\/)[^/?#]*/;

/**
 * Query values that may name a person: a subscriber's id, and whatever looks like an address
 * (typed where it does not belong, e.g. `?subscriber=jeanne@example.org`, which the route then
 * refuses — after the request log has written its line).
 */
const PERSONAL_PARAMETER = /^(subscriber|email|address|token)$/i;
const LOOKS_LIKE_ADDRESS = /@|%40/i;

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      return PERSONAL_PARAMETER.test(key) || LOOKS_LIKE_ADDRESS.test(value) ? `${key}=***` : pair;
    })
    .join('&');
}

export function redactTokenPath(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const masked = url.replace(UNSUBSCRIBE_SEGMENT, '$1***');
  const q = masked.indexOf('?');
  return q < 0 ? masked : `${masked.slice(0, q + 1)}${redactQuery(masked.slice(q + 1))}`;
}

/** The gateway's `req` log serializer: common's fields (what was asked, never who asked), the token and personal query values masked. */
export function redactedRequest(req: { method?: string; url?: string; host?: string; hostname?: string }): { method?: string; url?: string; host?: string } {
  return { method: req.method, url: redactTokenPath(req.url), host: req.host ?? req.hostname };
}
