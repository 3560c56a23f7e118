/**
 * `fetch` refuses a URL that carries user-info ("Request cannot be constructed from a URL that
 * includes credentials") and repeats the whole URL in that message. A source such as
 * `https://user:password@mirror.example/imdb/` is a reasonable thing for an operator to give,
 * so the credentials are moved where HTTP wants them: a Basic `Authorization` header, on a URL
 * without them. fetch drops that header on a redirect to another origin.
 */
export function splitUrlCredentials(value: string): { url: string; headers: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { url: value, headers: {} };
  }
  if (!url.username && !url.password) return { url: value, headers: {} };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString(), headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` } };
}
