import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

export interface FilmFacts {
  tconst: string;
  title: string;
  year: number | null;
  genres: string[];
  collection: string | null;
  language: string | null;
  countries: string[];
  /** nconst → name, by role. */
  directors: Map<string, string>;
  writers: Map<string, string>;
  cast: Map<string, string>;
}

/** What the reasons name, read from the catalogue at answer time so they are true to it. */
export class ReasonsRepository {
  constructor(private readonly handle: DbHandle) {}

  async facts(tconsts: readonly string[]): Promise<Map<string, FilmFacts>> {
    const out = new Map<string, FilmFacts>();
    if (tconsts.length === 0) return out;
    const ids = [...new Set(tconsts)];
    const films = await sql<{ tconst: string; title: string; year: number | null; genres: string[]; collection: string | null; language: string | null; countries: string[] | null }>`
      SELECT t.tconst, coalesce(t.french_title, t.primary_title) AS title, t.start_year AS year, t.genres,
             tm.collection_name AS collection, tm.original_language AS language, tm.production_countries AS countries
      FROM title t LEFT JOIN title_tmdb tm ON tm.imdb_id = t.tconst
      WHERE t.tconst = ANY(${ids}::text[])`.execute(this.handle.db);
    for (const f of films.rows) {
      out.set(f.tconst, { ...f, countries: f.countries ?? [], directors: new Map(), writers: new Map(), cast: new Map() });
    }
    const people = await sql<{ tconst: string; nconst: string; role: string; name: string }>`
      SELECT x.tconst, x.nconst, x.role, p.primary_name AS name FROM (
        SELECT tconst, nconst, role::text AS role, ordering FROM crew WHERE tconst = ANY(${ids}::text[])
        UNION
        SELECT tconst, nconst, CASE WHEN category IN ('actor', 'actress', 'self') THEN 'cast' ELSE category END, ordering
        FROM credit WHERE tconst = ANY(${ids}::text[]) AND category IN ('actor', 'actress', 'self', 'director', 'writer')
      ) x JOIN person p ON p.nconst = x.nconst
      ORDER BY x.tconst, x.ordering`.execute(this.handle.db);
    for (const p of people.rows) {
      const f = out.get(p.tconst);
      if (!f) continue;
      const map = p.role === 'director' ? f.directors : p.role === 'writer' ? f.writers : p.role === 'cast' ? f.cast : null;
      if (map && !map.has(p.nconst)) map.set(p.nconst, p.name);
    }
    return out;
  }
}
