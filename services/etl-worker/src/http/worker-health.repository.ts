import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

/** What the worker's readiness asks the database. */
export class WorkerHealthRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Resolves when the database answers a query; rejects with its error otherwise. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.handle.db);
  }
}
