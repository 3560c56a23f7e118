import { startNullRecommender } from './null-recommender';

/** null-recommender.ts as its own process: prints its URL on stdout, stops on SIGTERM. */
startNullRecommender().then(({ server, url }) => {
  process.stdout.write(`${url}\n`);
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}, (err: unknown) => {
  process.stderr.write(`null recommender: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
