import type { CastMember, FilmDetail, PersonRef, PosterUrls, SearchHit, SearchResponse } from '@cine/common';
import { notFound } from '../http/http-errors';
import { posterVersion } from '../posters/poster-image';
import { FilmDetailCache } from './film-detail.cache';
import { type CastRow, type CrewRow, type FilmRow, FilmRepository, TOP_CAST } from './film.repository';
import { type SearchRepository, type SearchRow, type TitleKind } from './search.repository';

const MATCH = ['exact', 'prefix', 'similar'] as const;

/**
 * The gateway's own poster route (gateway/src/posters), relative to the gateway: the page is on
 * the same origin, the widget resolves them against its API base. Null when TMDB knows no poster.
 * `?v=` names the TMDB poster file: a new poster is a new URL, so the year-long cache of the old
 * one never hides it.
 */
export function posterUrls(tconst: string, posterPath: string | null | undefined): PosterUrls | null {
  if (!posterPath) return null;
  const v = posterVersion(posterPath);
  const url = (size: string) => `/posters/${size}/${tconst}.jpg${v ? `?v=${v}` : ''}`;
  return { w185: url('w185'), w342: url('w342'), w500: url('w500') };
}

/** What a French reader should see: the French title when the catalogue knows one. */
export function displayTitle(row: { french_title: string | null; primary_title: string }): string {
  return row.french_title ?? row.primary_title;
}

export class FilmService {
  private readonly cache: FilmDetailCache;

  constructor(
    private readonly search: SearchRepository,
    private readonly films: FilmRepository,
    cache?: FilmDetailCache,
  ) {
    this.cache = cache ?? new FilmDetailCache(() => films.catalogueStamp());
  }

  async searchTitles(query: string, limit: number, kind: TitleKind): Promise<SearchResponse> {
    const rows = await this.search.search(query, limit, kind);
    return { query, items: rows.map(toHit) };
  }

  /** The best hit for a title a customer typed, among films only (what the recommender knows). */
  /** The best search hit among titles of one kind, or null. */
  async bestTitle(query: string, kind: TitleKind): Promise<SearchHit | null> {
    const [row] = await this.search.search(query, 1, kind);
    return row ? toHit(row) : null;
  }

  async detail(tconst: string): Promise<FilmDetail> {
    const found = (await this.details([tconst])).get(tconst);
    if (!found) throw notFound(`no film ${tconst} in the catalogue`);
    return found;
  }

  /**
   * Full details of several films at once (recommendations): from memory while the catalogue is
   * unchanged, else three queries for all the missing films, whatever their number.
   */
  async details(tconsts: readonly string[]): Promise<Map<string, FilmDetail>> {
    await this.cache.revalidate();
    const out = new Map<string, FilmDetail>();
    const missing: string[] = [];
    for (const tconst of tconsts) {
      const hit = this.cache.get(tconst);
      if (hit) out.set(tconst, hit);
      else missing.push(tconst);
    }
    if (missing.length === 0) return out;
    const [films, crew, cast] = await Promise.all([this.films.films(missing), this.films.crew(missing), this.films.cast(missing)]);
    const crewBy = groupBy(crew, (r) => r.tconst);
    const castBy = groupBy(cast, (r) => r.tconst);
    for (const f of films) {
      const detail = toDetail(f, crewBy.get(f.tconst) ?? [], castBy.get(f.tconst) ?? []);
      this.cache.set(f.tconst, detail);
      out.set(f.tconst, detail);
    }
    return out;
  }
}

function toHit(row: SearchRow): SearchHit {
  return {
    tconst: row.tconst,
    title: displayTitle(row),
    primaryTitle: row.primary_title,
    originalTitle: row.original_title,
    frenchTitle: row.french_title,
    year: row.start_year,
    titleType: row.title_type,
    genres: row.genres,
    rating: row.average_rating,
    votes: row.num_votes,
    poster: posterUrls(row.tconst, row.poster_path),
    match: MATCH[row.rank] ?? 'similar',
  };
}

function person(row: { nconst: string; name: string | null }): PersonRef {
  // A credit may name someone absent from name.basics (the ledger counts those): show the id.
  return { nconst: row.nconst, name: row.name ?? row.nconst };
}

function toDetail(f: FilmRow, crew: CrewRow[], cast: CastRow[]): FilmDetail {
  return {
    tconst: f.tconst,
    title: displayTitle(f),
    primaryTitle: f.primary_title,
    originalTitle: f.original_title,
    frenchTitle: f.french_title,
    titleType: f.title_type,
    year: f.start_year,
    endYear: f.end_year,
    runtimeMinutes: f.runtime_minutes,
    genres: f.genres,
    rating: f.average_rating,
    votes: f.num_votes,
    directors: crew.filter((c) => c.role === 'director').map(person),
    writers: crew.filter((c) => c.role === 'writer').map(person),
    cast: cast.slice(0, TOP_CAST).map((c): CastMember => ({ ...person(c), category: c.category, characters: c.characters ?? [] })),
    overview: f.overview,
    poster: posterUrls(f.tconst, f.poster_path),
    countries: f.production_countries ?? [],
    originalLanguage: f.original_language,
    budget: f.budget,
    revenue: f.revenue,
    collection: f.collection_name,
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
