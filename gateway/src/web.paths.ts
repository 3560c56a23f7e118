import { resolve } from 'node:path';

/** The built customer page (Vite's output, not kept in git). */
export const DEFAULT_WEB_ROOT = resolve(__dirname, '..', 'web', 'dist');

/** The page's build script: `npm run build:web`, and the all-in-one's first start runs it. */
export const WEB_BUILD_SCRIPT = resolve(__dirname, '..', 'web', 'build.mjs');
