import { FlowProducer, type FlowJob, type Job, type JobNode } from 'bullmq';
import IORedis from 'ioredis';
import type { Logger } from '../logger';
import { redact } from '../security/redact';
import { type ImportProgress, JobName, QueueName } from './job-catalogue';
import { type ImportQueue, type ImportRequest, type ImportRunView, planImport, runState, type StepOutcome, type StepState } from './import-queue';

export interface BullmqQueueOptions {
  attempts: number;
  backoffMs: number;
  prefix: string;
  /** A call slower than this is answered "unavailable" (default QUEUE_CALL_TIMEOUT_MS). */
  callTimeoutMs?: number;
}

/** A queue call slower than this is answered "unavailable": Redis is there but not answering. */
export const QUEUE_CALL_TIMEOUT_MS = 3000;

/** Redis is away: the gateway answers 503 with Retry-After, the CLI says so. */
export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

/** Producers must fail fast when Redis is down, never queue commands in memory. */
export function producerConnection(url: string): IORedis {
  return new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

/**
 * The import queue on BullMQ, producer side. One import is a flow whose chain of children runs
 * bottom-up: import-catalogue (etl-worker), build-embeddings (the recommender's build worker),
 * refresh-kpis (etl-worker), post-import (etl-worker, the flow's root). A failed import fails the
 * chain; the two steps after it may fail without stopping it: their consumer completes them with
 * the failure as their value on their last attempt (see job-worker.ts), and post-import records it.
 *
 * A call is refused at once unless the connection is ready, and bounded in time otherwise:
 * BullMQ first waits for its connection, and that wait has no end while Redis is down. ioredis
 * keeps reconnecting: the first call after Redis returns succeeds, with nothing to restart.
 */
export class BullmqImportQueue implements ImportQueue {
  private readonly flows: FlowProducer;

  constructor(
    private readonly connection: IORedis,
    private readonly options: BullmqQueueOptions,
  ) {
    this.flows = new FlowProducer({ connection, prefix: options.prefix });
    // Without a listener BullMQ prints every reconnection attempt; the callers get the failure.
    this.flows.on('error', () => {});
  }

  enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    return this.guard(async () => {
      const plan = planImport(request);
      // A run whose import failed may be asked for again. The failure reaches the later steps only
      // as their consumers see it, so the run's state is read from every step, not the root's.
      const existing = await this.view(plan.id);
      if (existing) {
        if (existing.view.state !== 'failed') return { id: plan.id, deduplicated: true };
        await existing.root.remove({ removeChildren: true });
      }
      const opts = {
        attempts: this.options.attempts,
        backoff: { type: 'exponential' as const, delay: this.options.backoffMs, jitter: 0.5 },
        removeOnComplete: { age: 7 * 24 * 3600, count: 200 },
        removeOnFail: { age: 30 * 24 * 3600, count: 500 },
      };
      let node: FlowJob | null = null;
      for (const step of plan.chain) {
        node = {
          name: step.name,
          queueName: step.queue,
          prefix: this.options.prefix,
          data: step.data,
          opts: { ...opts, jobId: step.id, ...(step.name === JobName.PostImport ? {} : { failParentOnFailure: true }) },
          ...(node ? { children: [node] } : {}),
        };
      }
      await this.flows.add(node!);
      return { id: plan.id, deduplicated: false };
    });
  }

  status(id: string): Promise<ImportRunView | null> {
    return this.guard(async () => (await this.view(id))?.view ?? null);
  }

  private async view(id: string): Promise<{ view: ImportRunView; root: Job } | null> {
    const first = await this.chain(id);
    if (!first) return null;
    // The states first, then the jobs read again: a step that failed (or completed) between the
    // first read and its state's carries its reason (or value) in the second. Read the other way
    // round, a run could say 'failed' with no error.
    const states = await Promise.all(first.jobs.map((job) => job.getState()));
    const again = (await this.chain(id)) ?? first;
    const byId = new Map(again.jobs.map((job) => [job.id, job]));
    const steps = first.jobs.map((job, i) => stepView(byId.get(job.id) ?? job, states[i]!));
    return { view: { id, steps, ...runState(steps) }, root: again.root };
  }

  /** The run's jobs, first step first, as Redis holds them now. */
  private async chain(id: string): Promise<{ jobs: Job[]; root: Job } | null> {
    const flow = await this.flows.getFlow({ id, queueName: QueueName.Etl, prefix: this.options.prefix, depth: 8 });
    if (!flow?.job) return null;
    const jobs: Job[] = [];
    for (let node: JobNode | undefined = flow; node?.job; node = node.children?.[0]) jobs.unshift(node.job);
    return { jobs, root: flow.job };
  }

  async close(): Promise<void> {
    // Closing waits for a connection that may never come back: bounded, then cut.
    await bounded(this.flows.close(), (this.options.callTimeoutMs ?? QUEUE_CALL_TIMEOUT_MS)).catch(() => {});
    this.connection.disconnect();
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.connection.status !== 'ready') return Promise.reject(new QueueUnavailableError(`redis connection is ${this.connection.status}`));
    return bounded(call(), (this.options.callTimeoutMs ?? QUEUE_CALL_TIMEOUT_MS));
  }
}

function stepView(job: Job, raw: string) {
  const state: StepState = raw === 'completed' ? 'completed' : raw === 'failed' ? 'failed' : raw === 'active' ? 'active' : 'waiting';
  const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as unknown as ImportProgress) : null;
  const value = job.returnvalue as StepOutcome | null | undefined;
  // A step allowed to fail completes with its failure as its value.
  if (value?.failed) return { id: job.id ?? '', name: job.name as JobName, state: 'failed' as const, progress, error: value.failed, result: null };
  return { id: job.id ?? '', name: job.name as JobName, state, progress, error: job.failedReason || null, result: value?.result ?? null };
}

/** A Redis call that answers within `ms` or fails as QueueUnavailableError: the API answers 503 rather than hang. */
export function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`no answer from redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** For a command that starts and enqueues at once: wait (bounded) for the connection to be ready. */
export async function connectedProducer(url: string, timeoutMs = 10_000): Promise<IORedis> {
  const connection = producerConnection(url);
  if (connection.status === 'ready') return connection;
  try {
    await bounded(
      new Promise<void>((resolve, reject) => {
        connection.once('ready', () => resolve());
        connection.once('end', () => reject(new QueueUnavailableError('redis connection ended')));
      }),
      timeoutMs,
    );
  } catch (err) {
    connection.disconnect();
    throw new QueueUnavailableError(`redis is unreachable at ${redact(url)} (${err instanceof Error ? err.message : String(err)})`);
  }
  return connection;
}

/** A producer's own connection that logs one line per distinct Redis error, not one per retry. */
export function loggedProducerConnection(redisUrl: string, log: Logger): IORedis {
  const connection = producerConnection(redisUrl);
  let lastError = '';
  connection.on('error', (err: Error) => {
    if (err.message !== lastError) log.warn({ err: err.message }, 'redis connection error; retrying');
    lastError = err.message;
  });
  connection.on('ready', () => {
    lastError = '';
  });
  return connection;
}

/** The producer as services use it: its own connection, one log line per distinct Redis error. */
export function openImportQueue(redisUrl: string, options: BullmqQueueOptions, log: Logger): ImportQueue {
  return new BullmqImportQueue(loggedProducerConnection(redisUrl, log), options);
}
