import { type JobWorker, type Logger, registerObservability, requestIdServerOptions } from '@cine/common';
import type { DbHandle } from '@cine/db';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { WorkerHealthRepository } from './worker-health.repository';

/**
 * The worker's own small HTTP face: `/health/live`, `/health/ready` (database, Redis, the worker
 * taking jobs) for compose's healthcheck, and `/metrics` with job counts, so an operator sees a
 * stuck or failing import without reading logs.
 */
export async function startWorkerHttp(opts: {
  host: string;
  port: number;
  handle: DbHandle;
  etlWorker: JobWorker;
  log: Logger;
}): Promise<{ url: string; close(): Promise<void> }> {
  // Typed as the default instance, as registerObservability expects.
  const app = Fastify({ loggerInstance: opts.log, ...requestIdServerOptions() }) as unknown as FastifyInstance;
  const { worker } = opts.etlWorker;
  const health = new WorkerHealthRepository(opts.handle);
  const registry = registerObservability(app, {
    service: 'etl-worker',
    readiness: {
      db: async () => {
        await health.ping();
        return { ok: true };
      },
      redis: async () => ({ ok: (await opts.etlWorker.connection.ping()) === 'PONG' }),
      worker: async () => ({ ok: worker.isRunning(), detail: worker.isRunning() ? 'taking jobs' : 'not running' }),
    },
  });
  const finished = new Counter({
    name: 'etl_jobs_finished_total',
    help: 'ETL jobs finished by this worker, by job name and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const active = new Gauge({ name: 'etl_job_active', help: '1 while this worker runs a job', registers: [registry] });
  worker.on('active', () => active.set(1));
  worker.on('completed', (job) => {
    active.set(0);
    finished.inc({ job: job.name, outcome: 'completed' });
  });
  worker.on('failed', (job) => {
    active.set(0);
    finished.inc({ job: job?.name ?? 'unknown', outcome: 'failed' });
  });
  const address = await app.listen({ host: opts.host, port: opts.port });
  return { url: address, close: () => app.close() };
}
