/** Where the visit's id lives: the tab's session storage, gone when the tab closes. */
const KEY = 'cine-visit';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let current: string | null = null;

/**
 * A random id for this visit, made once and kept for the tab's session, so that the taste store
 * counts a visit once however many times its suggestions are asked for. Nothing ties it to the
 * person: it is drawn at random, the gateway keeps it nowhere, and it is forgotten with the tab.
 */
export function visitId(): string {
  if (current) return current;
  let stored: string | null = null;
  try {
    stored = sessionStorage.getItem(KEY);
  } catch {
    // Storage refused (private mode, a policy): the id lasts as long as the page.
  }
  current = stored && UUID_V4.test(stored) ? stored : randomUuid();
  try {
    sessionStorage.setItem(KEY, current);
  } catch {
    // As above.
  }
  return current;
}

/** crypto.randomUUID only exists on https or localhost; the cinema may serve the page over plain http. */
function randomUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
