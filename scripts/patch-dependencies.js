#!/usr/bin/env node
/**
 * Runs after `npm ci`/`npm install` (root `postinstall`).
 *
 * postgres.js 3.4.x loses the server's error when a `COPY … FROM STDIN` fails after the client
 * sent CopyDone: the writable never finishes, the caller hangs, and the error is swallowed
 * (porsager/postgres#1173, fix proposed upstream in #1183, not released). A failed bulk load must
 * fail the import loudly, so we settle the pending final callback with the error, as that fix does.
 * The patch is idempotent and refuses to run silently against a changed file: an upgrade that
 * moves the code makes `npm ci` fail here, so someone re-checks whether the bug is still there.
 */
const fs = require('node:fs');
const path = require('node:path');

const ANCHOR = '    stream && (stream.destroy(err), stream = null)\n';
const FIX = '    final && (final(err), final = null)\n';
const MARK = '// cine-creuse: settle COPY final on error (porsager/postgres#1173)\n';

let root;
try {
  // postgres' exports map hides package.json: resolve the entry point and walk up to the package.
  root = path.dirname(require.resolve('postgres', { paths: [process.cwd(), path.join(process.cwd(), 'db')] }));
  const isPackageRoot = (dir) => {
    const manifest = path.join(dir, 'package.json');
    return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'postgres';
  };
  while (!isPackageRoot(root)) root = path.dirname(root);
} catch {
  process.exit(0); // not installed (e.g. a partial install): nothing to patch
}

for (const build of ['cjs/src/connection.js', 'src/connection.js', 'cf/src/connection.js']) {
  const file = path.join(root, build);
  if (!fs.existsSync(file)) continue;
  const source = fs.readFileSync(file, 'utf8');
  if (source.includes(MARK)) continue;
  if (!source.includes(ANCHOR)) {
    console.error(`patch-dependencies: ${file} changed; re-check porsager/postgres#1173 and update this patch`);
    process.exit(1);
  }
  fs.writeFileSync(file, source.replace(ANCHOR, `${ANCHOR}${MARK}${FIX}`));
}
