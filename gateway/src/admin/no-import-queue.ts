import { type ImportQueue, type ImportRunView, QueueUnavailableError } from '@cine/common';

/**
 * The gateway alone without REDIS_URL has no job queue: search and recommendations work, and an
 * admin import answers 503 saying why. (Imports without Redis are the all-in-one `npm start`'s
 * and `npm run etl`'s, which run the jobs in their own process.)
 */
export class NoImportQueue implements ImportQueue {
  enqueue(): Promise<{ id: string; deduplicated: boolean }> {
    return Promise.reject(new QueueUnavailableError('no job queue: REDIS_URL is not set'));
  }

  status(): Promise<ImportRunView | null> {
    return Promise.resolve(null);
  }

  async close(): Promise<void> {}
}
