import { openDatabase } from '../db.factory';

/**
 * Another process for the lock tests: `node --import tsx hold-embedded-database.ts DIR` opens the
 * embedded database in DIR, prints `open <pid>`, and holds it until SIGTERM (then closes, exit 0).
 * Refused, it prints the error's message and exits 1, as the product's commands do.
 */
const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: hold-embedded-database.ts DATA_DIR\n');
  process.exit(2);
}

openDatabase({ dataDir, applicationName: 'lock-test-holder' }).then(
  (handle) => {
    process.stdout.write(`open ${process.pid}\n`);
    // PGlite keeps nothing on the event loop: this holds the process until it is told to stop.
    const keepAlive = setInterval(() => {}, 1 << 30);
    process.once('SIGTERM', () => {
      clearInterval(keepAlive);
      void handle.close().then(() => process.exit(0));
    });
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
