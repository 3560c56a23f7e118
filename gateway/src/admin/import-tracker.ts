/**
 * The import the catalogue status follows: the last one started through the admin API, or by
 * `npm start` on a fresh install (it calls `track` after enqueueing). The queue itself has no
 * notion of "latest"; the database ledger still tells running and failed imports apart when
 * nothing is tracked (a gateway restarted while a worker imports).
 */
export class ImportTracker {
  private current: string | null = null;

  track(id: string): void {
    this.current = id;
  }

  latest(): string | null {
    return this.current;
  }
}
