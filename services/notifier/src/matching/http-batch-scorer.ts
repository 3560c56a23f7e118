import { type BatchScoreRequest, type BatchScoreResponse, type ErrorBody, RECOMMEND_BATCH_TASTES_MAX, RECOMMEND_CANDIDATES_MAX } from '@cine/common';
import type { BatchScorer, FilmScore, ScoreOptions, SubscriberTaste, TasteScores } from './matching.contract';

export interface HttpBatchScorerOptions {
  /** RECOMMENDER_URL, no trailing slash. */
  baseUrl: string;
  /**
   * Tastes per request. 2 000 keeps a request's body near 0.5 MB and its answer a few MB, and
   * lets the next chunk's JSON travel while the recommender computes (see `inFlight`).
   */
  chunkSize?: number;
  /** Requests at once: 2 overlaps one chunk's JSON with the other's product on the recommender. */
  inFlight?: number;
  /** Per request; a fit pass over a large index takes seconds per thousand tastes. */
  timeoutMs?: number;
}

/** The recommender answered 503 (no embedding version yet) or could not be reached: the job retries later. */
export class RecommenderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecommenderUnavailable';
  }
}

const NO_REASON = { fr: '', en: '' };

/**
 * BatchScorer over `POST /v1/recommendations/batch`: the subscribers in chunks, every chunk against
 * all the period's films (split in parts of RECOMMEND_CANDIDATES_MAX in the rare week that has
 * more, merged back; the fit threshold is asked once). Errors carry the status and the
 * recommender's message (a field name, never a taste or an address).
 */
export class HttpBatchScorer implements BatchScorer {
  private readonly chunkSize: number;
  private readonly inFlight: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: HttpBatchScorerOptions) {
    this.chunkSize = Math.max(1, Math.min(RECOMMEND_BATCH_TASTES_MAX, opts.chunkSize ?? 2000));
    this.inFlight = Math.max(1, opts.inFlight ?? 2);
    this.timeoutMs = opts.timeoutMs ?? 300_000;
  }

  async score(tastes: readonly SubscriberTaste[], candidates: readonly string[], options: ScoreOptions = {}): Promise<TasteScores[]> {
    const films = [...new Set(candidates)];
    if (tastes.length === 0) return [];
    if (films.length === 0) return tastes.map((t) => ({ subscriberId: t.subscriberId, fitScore: null, films: [] }));
    const chunks: SubscriberTaste[][] = [];
    for (let i = 0; i < tastes.length; i += this.chunkSize) chunks.push(tastes.slice(i, i + this.chunkSize));
    const answers: TasteScores[][] = new Array(chunks.length);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const i = next++;
        answers[i] = await this.scoreChunk(chunks[i]!, films, options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.inFlight, chunks.length) }, worker));
    return answers.flat();
  }

  private async scoreChunk(tastes: readonly SubscriberTaste[], films: readonly string[], options: ScoreOptions): Promise<TasteScores[]> {
    const parts: string[][] = [];
    for (let i = 0; i < films.length; i += RECOMMEND_CANDIDATES_MAX) parts.push(films.slice(i, i + RECOMMEND_CANDIDATES_MAX));
    const reasons = options.reasons ?? true;
    const out: TasteScores[] = tastes.map((t) => ({ subscriberId: t.subscriberId, fitScore: null, films: [] }));
    for (const [p, part] of parts.entries()) {
      const body: BatchScoreRequest = {
        tastes: tastes.map((t) => ({ id: t.subscriberId, liked: t.liked, ...(t.disliked.length > 0 ? { disliked: t.disliked } : {}) })),
        candidates: part,
        reasons,
        // The threshold is the taste's, not the films': asked with the first part only.
        fit: (options.fit ?? true) && p === 0,
        ...(options.top === undefined ? {} : { top: options.top }),
      };
      const answer = await this.post(body);
      answer.tastes.forEach((a, i) => {
        const scores = out[i]!;
        if (a.id !== scores.subscriberId) throw new Error('the recommender answered the tastes out of order');
        if (p === 0) scores.fitScore = a.fitScore ?? null;
        for (const item of a.items) scores.films.push({ tconst: item.tconst, score: item.score, reason: item.reason ?? NO_REASON, reasons: item.reasons ?? [] } satisfies FilmScore);
      });
    }
    if (parts.length > 1) {
      for (const scores of out) {
        scores.films.sort((a, b) => b.score - a.score || (a.tconst < b.tconst ? -1 : a.tconst > b.tconst ? 1 : 0));
        if (options.top !== undefined) scores.films.length = Math.min(scores.films.length, options.top);
      }
    }
    return out;
  }

  private async post(body: BatchScoreRequest): Promise<BatchScoreResponse> {
    let res: Response;
    try {
      res = await fetch(`${this.opts.baseUrl}/v1/recommendations/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new RecommenderUnavailable(`the recommender could not be reached (${(err as Error).name})`);
    }
    if (res.ok) return (await res.json()) as BatchScoreResponse;
    const error = (await res.json().catch(() => null)) as ErrorBody | null;
    const message = `the recommender answered ${res.status} to a batch of ${body.tastes.length} tastes: ${error?.message ?? res.statusText}`;
    if (res.status === 503) throw new RecommenderUnavailable(message);
    throw new Error(message);
  }
}
