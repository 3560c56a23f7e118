import type { PosterDiskCache } from './poster-cache.repository';
import { isJpeg, isJpegContentType, type PosterSize, posterVersion, upstreamPosterUrl } from './poster-image';
import type { PosterRepository } from './poster.repository';
import type { TmdbImageRepository } from './tmdb-image.repository';

/**
 * A poster to send, or the reason to send the placeholder instead: `none` (no poster for this
 * film: unknown tconst, no TMDB row, no poster path) may be remembered a while; `unavailable`
 * (TMDB failed, timed out or sent something else than a JPEG; the database did not answer) must
 * be tried again soon.
 */
export type PosterAnswer = { kind: 'image'; bytes: Buffer; warning?: string } | { kind: 'placeholder'; reason: 'none' | 'unavailable'; detail: string };

/**
 * Posters fetched once from TMDB, then served from the disk. Concurrent requests for the same
 * poster share one lookup and one upstream fetch. Each kept file knows the TMDB poster path it
 * came from: a request whose `?v=` names that file is served from the disk alone; otherwise the
 * database says which poster the film has now, and a changed one is fetched again.
 */
export class PosterService {
  private readonly inFlight = new Map<string, Promise<PosterAnswer>>();

  constructor(
    private readonly films: PosterRepository,
    private readonly cache: PosterDiskCache,
    private readonly upstream: TmdbImageRepository,
    private readonly imageBaseUrl: string,
  ) {}

  poster(size: PosterSize, tconst: string, version?: string): Promise<PosterAnswer> {
    const key = `${size}/${tconst}?${version ?? ''}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const answer = this.load(size, tconst, version).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, answer);
    return answer;
  }

  private async load(size: PosterSize, tconst: string, version: string | undefined): Promise<PosterAnswer> {
    const kept = await this.cache.read(size, tconst);
    if (kept && version !== undefined && kept.posterPath !== null && posterVersion(kept.posterPath) === version) return { kind: 'image', bytes: kept.bytes };
    let posterPath: string | null;
    try {
      posterPath = await this.films.posterPath(tconst);
    } catch (err) {
      // The database away: the poster kept is the best there is.
      if (kept) return { kind: 'image', bytes: kept.bytes, warning: `database: ${(err as Error).message}; the poster kept was sent` };
      return { kind: 'placeholder', reason: 'unavailable', detail: `database: ${(err as Error).message}` };
    }
    if (!posterPath) return { kind: 'placeholder', reason: 'none', detail: 'no poster path' };
    if (kept && kept.posterPath === posterPath) return { kind: 'image', bytes: kept.bytes };
    const url = upstreamPosterUrl(this.imageBaseUrl, size, posterPath);
    if (!url) return { kind: 'placeholder', reason: 'none', detail: `poster path refused: ${JSON.stringify(posterPath)}` };
    const got = await this.upstream.fetch(url);
    if (!got.ok) return { kind: 'placeholder', reason: 'unavailable', detail: got.reason };
    if (!isJpegContentType(got.contentType) || !isJpeg(got.bytes)) {
      return { kind: 'placeholder', reason: 'unavailable', detail: `not a JPEG (content-type ${got.contentType ?? 'none'})` };
    }
    try {
      await this.cache.write(size, tconst, got.bytes, posterPath);
    } catch (err) {
      // A full or read-only disk: the poster is still good to send; the next request fetches it again.
      return { kind: 'image', bytes: got.bytes, warning: `not kept on disk: ${(err as Error).message}` };
    }
    return { kind: 'image', bytes: got.bytes };
  }
}
