import { createLogger } from '@cine/common';
import { openDatabase } from '@cine/db';
import { startRecommender } from '@cine/recommender';
import Fastify from 'fastify';
import { NoImportQueue } from '../src/admin/no-import-queue';
import { buildGateway } from '../src/app';
import { DEFAULT_DATABASE_POOL_SIZE, loadGatewayConfig } from '../src/config';
import { gatewayServerOptions } from '../src/http/server-options';
import { HttpRecommenderClient } from '../src/recommendations/recommender.repository';

/**
 * One server of the gateway benchmark, in a process of its own (as deployed), so the load
 * generator never shares an event loop with what it measures:
 *
 *   bench-server.ts hello                          the ceiling: a bare route, the gateway's server settings
 *   bench-server.ts recommender <databaseUrl>
 *   bench-server.ts gateway <databaseUrl> <recommenderUrl>
 *
 * Tells its parent its URL over IPC, and its CPU time so far whenever asked ('cpu'); stops when
 * the parent disconnects or on SIGTERM.
 */
const log = createLogger('bench-server', { level: 'silent' });

async function serve(role: string, args: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  if (role === 'hello') {
    const app = Fastify({ loggerInstance: log, ...gatewayServerOptions({ bodyLimitBytes: 64 * 1024 }) });
    app.get('/hello', async () => ({ hello: 'world' }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { url, close: () => app.close() };
  }
  const [databaseUrl, recommenderUrl] = args;
  if (!databaseUrl) throw new Error(`${role} needs a database URL`);
  // The gateway's pool as it runs in production (DATABASE_POOL_SIZE's default).
  const handle = await openDatabase({ databaseUrl, applicationName: `bench-${role}`, ...(role === 'gateway' ? { maxConnections: DEFAULT_DATABASE_POOL_SIZE } : {}) });
  if (role === 'recommender') {
    const recommender = await startRecommender({ handle, log, port: 0 });
    return {
      url: recommender.url,
      close: async () => {
        await recommender.close();
        await handle.close();
      },
    };
  }
  if (role === 'gateway' && recommenderUrl) {
    // The rate limit stays on (its cost is part of the figure) but high enough never to refuse.
    const config = loadGatewayConfig({ DATABASE_URL: databaseUrl, RECOMMENDER_URL: recommenderUrl, RATE_LIMIT_MAX: '1000000', LOG_LEVEL: 'silent' });
    // The benchmark measures reads: no job queue, as `npm run gateway` without REDIS_URL.
    const queue = new NoImportQueue();
    const app = await buildGateway({ config, handle, queue, recommender: new HttpRecommenderClient(recommenderUrl, config.recommender.timeoutMs), log });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      url,
      close: async () => {
        await app.close();
        await queue.close();
        await handle.close();
      },
    };
  }
  throw new Error(`unknown role "${role}" (hello, recommender <db>, gateway <db> <recommender url>)`);
}

async function main(): Promise<void> {
  const [role = '', ...args] = process.argv.slice(2);
  const server = await serve(role, args);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    // Connections the load generator abandoned mid-request must not hold the process.
    setTimeout(() => process.exit(0), 5000).unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.send?.({ url: server.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
