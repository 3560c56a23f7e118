/**
 * Builds the customer page (index.html → dist/) and the embeddable widget (dist/widget.js, one
 * classic script that any site can include), then prints what the browser downloads, gzipped,
 * and fails past the budget: the audience is on phones in rural Creuse.
 *
 *   node gateway/web/build.mjs          (npm run build:web)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

// Run from jest (NODE_ENV=test) the build would ship Preact's development JSX: twice the size.
process.env.NODE_ENV = 'production';

const root = dirname(fileURLToPath(import.meta.url));
const outDir = join(root, 'dist');
export const JS_BUDGET_GZIP_BYTES = 100 * 1024;

const shared = {
  root,
  configFile: false,
  mode: 'production',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
};

await build({
  ...shared,
  base: '/',
  build: { outDir, emptyOutDir: true, target: 'es2020', assetsInlineLimit: 0, sourcemap: false },
});

await build({
  ...shared,
  // A classic script, not a module: `<script src defer>` on any site, and document.currentScript works.
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2020',
    sourcemap: false,
    lib: { entry: join(root, 'src/widget.tsx'), name: 'CineCreuseWidget', formats: ['iife'], fileName: () => 'widget.js' },
  },
});

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(outDir);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let pageJs = 0;
for (const path of files.sort()) {
  const raw = readFileSync(path);
  const gz = gzipSync(raw, { level: 9 }).length;
  const name = relative(outDir, path);
  if (name.endsWith('.js') && name !== 'widget.js') pageJs += gz;
  console.log(`  ${name.padEnd(34)} ${kb(raw.length).padStart(9)}  gzip ${kb(gz).padStart(8)}`);
}
const widgetJs = gzipSync(readFileSync(join(outDir, 'widget.js')), { level: 9 }).length;
console.log(`page JS ${kb(pageJs)} gzipped, widget JS ${kb(widgetJs)} gzipped (budget ${kb(JS_BUDGET_GZIP_BYTES)} each)`);
if (pageJs > JS_BUDGET_GZIP_BYTES || widgetJs > JS_BUDGET_GZIP_BYTES) {
  console.error('shipped JS is over budget');
  process.exit(1);
}
