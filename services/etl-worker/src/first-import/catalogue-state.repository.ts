import type { DbHandle } from '@cine/db';

/** What the embedded start asks the database before deciding to import. */
export class CatalogueStateRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Films and series being served (the public views over the active catalogue schema). */
  async titleCount(): Promise<number> {
    const row = await this.handle.db
      .selectFrom('title')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
