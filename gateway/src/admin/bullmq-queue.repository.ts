import type { Logger } from '@cine/common';
import { BullmqEtlQueue, type BullmqQueueOptions, type EtlQueue, type ImportRequest, type ImportRunView, producerConnection } from '@cine/etl-worker';
import type IORedis from 'ioredis';

/** A queue call slower than this is answered 503: Redis is there but not answering. */
const QUEUE_CALL_TIMEOUT_MS = 3000;

export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

/**
 * The ETL queue on BullMQ as the gateway uses it: fail fast while Redis is away.
 *
 * The producer connection already refuses commands when offline (`enableOfflineQueue: false`),
 * but BullMQ first waits for its connection to become ready, and that wait has no end while
 * Redis is down. So a call is refused at once unless the connection is ready, and bounded in
 * time otherwise. ioredis keeps reconnecting in the background: the first call after Redis
 * returns succeeds, with nothing to restart.
 */
export class GuardedBullmqQueue implements EtlQueue {
  private readonly queue: BullmqEtlQueue;

  constructor(
    private readonly connection: IORedis,
    options: BullmqQueueOptions,
  ) {
    this.queue = new BullmqEtlQueue(connection, options);
  }

  enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    return this.guard(() => this.queue.enqueue(request));
  }

  status(id: string): Promise<ImportRunView | null> {
    return this.guard(() => this.queue.status(id));
  }

  async close(): Promise<void> {
    // Closing waits for a connection that may never come back: bounded, then cut.
    await bounded(this.queue.close(), QUEUE_CALL_TIMEOUT_MS).catch(() => {});
    this.connection.disconnect();
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.connection.status !== 'ready') {
      return Promise.reject(new QueueUnavailableError(`redis connection is ${this.connection.status}`));
    }
    return bounded(call(), QUEUE_CALL_TIMEOUT_MS);
  }
}

function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`no answer from redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The production queue: its own producer connection, errors logged (ioredis retries by itself). */
export function openBullmqQueue(redisUrl: string, options: BullmqQueueOptions, log: Logger): EtlQueue {
  const connection = producerConnection(redisUrl);
  let lastError = '';
  connection.on('error', (err: Error) => {
    // One line per distinct error, not one per reconnection attempt.
    if (err.message !== lastError) log.warn({ err: err.message }, 'redis connection error; retrying');
    lastError = err.message;
  });
  connection.on('ready', () => {
    lastError = '';
  });
  return new GuardedBullmqQueue(connection, options);
}
