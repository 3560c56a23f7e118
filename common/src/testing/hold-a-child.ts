import { killSpawned, spawnInGroup } from './processes';

/**
 * A stand-in for a jest worker in processes.spec.ts: starts `sh`, which starts a `sleep` of its
 * own (a grandchild, as npm starts node), prints both pids, then ends as told: `exit`, `crash`
 * (an uncaught error), or `wait` (until a signal comes, or, forked with an IPC channel, until the
 * parent goes). `end`, forked with an IPC channel, does what a jest worker does when jest ends it:
 * on the message `end` its spawned groups are gone (the test environment's teardown) and it
 * removes its 'message' listener, then it must end by itself.
 */
const how = process.argv[2];
const onMessage = (message: unknown) => {
  if (message !== 'end') return;
  killSpawned();
  process.removeListener('message', onMessage);
};
if (how === 'end') process.on('message', onMessage);
const child = spawnInGroup('sh', ['-c', 'sleep 300 & echo "$$ $!"; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
child.stdout!.once('data', (chunk: Buffer) => {
  process.stdout.write(`pids ${chunk.toString('utf8').trim()}\n`);
  if (how === 'exit') process.exit(0);
  if (how === 'crash') setImmediate(() => {
    throw new Error('the worker crashed');
  });
  // 'wait' and 'end': the spawned child keeps this process alive until a signal (or, for 'end', the message).
});
