import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The built customer page's HTML (`index.html`), read once at boot: `/` and every deep link
 * (`/film/tt0068646`) answer it from memory, so a flood of them costs no disk read. A running
 * gateway serves the build it started with anyway: its asset routes are registered at boot.
 * `null` while the page is not built.
 */
export function readWebPage(webRoot: string): string | null {
  try {
    return readFileSync(resolve(webRoot, 'index.html'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
