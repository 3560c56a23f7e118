/**
 * The token of an email's link travels in the URL fragment (`/abonnement#<token>`): a browser
 * never sends a fragment to a server nor in a Referer. Read once, then cleared from the address
 * bar and the history entry, so it is neither bookmarked nor shown over a shoulder.
 */
export function takeFragmentToken(): string | null {
  const token = location.hash.slice(1);
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  return /^[A-Za-z0-9_-]{16,200}$/.test(token) ? token : null;
}
