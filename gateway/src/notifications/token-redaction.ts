/**
 * A one-click unsubscribe link carries its token in the path (`/u/<token>`, RFC 8058 wants a
 * URL a mail provider can POST to as it is), and the request log writes every path it serves.
 * The segment after `/u/` is masked, whatever follows it and whatever the route: a 404 under
 * `/u/…/x` or a 405 on `/u/…` is logged too. The page's own tokens travel in the URL fragment,
 * which a browser never sends.
 */
const UNSUBSCRIBE_SEGMENT = /^(\/u\/)[^/?#]*/;

export function redactTokenPath(url: string | undefined): string | undefined {
  return url === undefined ? undefined : url.replace(UNSUBSCRIBE_SEGMENT, '$1***');
}

/** The gateway's `req` log serializer: common's fields (what was asked, never who asked), the token masked. */
export function redactedRequest(req: { method?: string; url?: string; host?: string; hostname?: string }): { method?: string; url?: string; host?: string } {
  return { method: req.method, url: redactTokenPath(req.url), host: req.host ?? req.hostname };
}
