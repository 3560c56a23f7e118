import { spawnInGroup } from './processes';

/**
 * A stand-in for a jest worker in processes.spec.ts: starts `sh`, which starts a `sleep` of its
 * own (a grandchild, as npm starts node), prints both pids, then ends as told: `exit`, `crash`
 * (an uncaught error), or `wait` (until a signal comes).
 */
const how = process.argv[2];
const child = spawnInGroup('sh', ['-c', 'sleep 300 & echo "$$ $!"; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
child.stdout!.once('data', (chunk: Buffer) => {
  process.stdout.write(`pids ${chunk.toString('utf8').trim()}\n`);
  if (how === 'exit') process.exit(0);
  if (how === 'crash') setImmediate(() => {
    throw new Error('the worker crashed');
  });
  // 'wait': the spawned child keeps this process alive until a signal.
});
