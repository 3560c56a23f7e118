import type { SubscribedFilm } from '@cine/common';
import type { DbHandle } from '@cine/db';

/**
 * The films a subscriber may name, read from the catalogue (the etl-worker's public views):
 * `film_index` holds every film of the IMDb files, `title` the catalogue served (with its French
 * title), so a film of either is known.
 */
export class FilmRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Which of `tconsts` the catalogue knows. */
  async known(tconsts: readonly string[]): Promise<Set<string>> {
    if (tconsts.length === 0) return new Set();
    const list = [...new Set(tconsts)];
    const [indexed, served] = await Promise.all([
      this.handle.db.selectFrom('film_index').select('tconst').where('tconst', 'in', list).execute(),
      this.handle.db.selectFrom('title').select('tconst').where('tconst', 'in', list).execute(),
    ]);
    return new Set([...indexed, ...served].map((r) => r.tconst));
  }

  /** Each film with its title (French when the catalogue has one) and year, in the order asked. */
  async describe(tconsts: readonly string[]): Promise<SubscribedFilm[]> {
    if (tconsts.length === 0) return [];
    const list = [...new Set(tconsts)];
    const [indexed, served] = await Promise.all([
      this.handle.db.selectFrom('film_index').select(['tconst', 'primary_title', 'start_year']).where('tconst', 'in', list).execute(),
      this.handle.db.selectFrom('title').select(['tconst', 'primary_title', 'french_title', 'start_year']).where('tconst', 'in', list).execute(),
    ]);
    const byId = new Map<string, SubscribedFilm>();
    for (const r of indexed) byId.set(r.tconst, { tconst: r.tconst, title: r.primary_title, year: r.start_year });
    for (const r of served) byId.set(r.tconst, { tconst: r.tconst, title: r.french_title ?? r.primary_title, year: r.start_year });
    // A film gone from the catalogue since it was chosen is still shown, by its id.
    return tconsts.map((t) => byId.get(t) ?? { tconst: t, title: t, year: null });
  }
}
