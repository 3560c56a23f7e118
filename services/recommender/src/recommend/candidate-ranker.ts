import type { LoadedVersion } from '../serving/loaded-version';
import { blendedScore } from './exact-scan';
import { adaptiveAlpha, filterPredicate, profileOf, type RankRequest } from './ranker';
import type { RankingParams } from './ranking';

/**
 * A candidate fits the taste when it scores at least as well as the film at this place in the
 * whole index's ranking for that taste: it would be among the films the recommender proposes
 * on its own. A cinema programmes a few dozen films, most of which fit nobody in particular.
 */
export const FIT_RANK = 100;

export interface CandidateRequest extends Omit<RankRequest, 'k' | 'diversity'> {
  candidates: string[];
  /** Candidate vectors outside the index, embedded from their features (LoadedVersion.embedOutside). */
  candidatesOutside: ReadonlyMap<string, Float32Array>;
}

export interface RankedCandidate {
  tconst: string;
  score: number;
  /** Its row in the index, or its vector when the encoder placed it. */
  vector: Float32Array;
}

export interface CandidateResult {
  coldStart: boolean;
  unknown: string[];
  encoded: string[];
  /** Liked inputs as rows of the index or encoded vectors, for the reasons. */
  liked: { tconst: string; vector: Float32Array }[];
  /** The score of the FIT_RANK-th film of the index for this taste; null on a cold start. */
  fitScore: number | null;
  picks: RankedCandidate[];
}

/**
 * Scores exactly the given films for one taste, best first: the programme's films ranked for a
 * customer. The profile is rank()'s; a candidate outside the index is scored by its encoded
 * vector with the catalogue's mean prior (nothing says it is more or less liked than average).
 * Inputs (liked, disliked) and films the filters refuse are left out; candidates the version
 * knows nothing of are reported in `unknown`.
 */
export async function rankCandidates(version: LoadedVersion, req: CandidateRequest, params: RankingParams): Promise<CandidateResult> {
  const unknown: string[] = [];
  const encoded: string[] = [];
  const resolve = (tconsts: readonly string[], outside: ReadonlyMap<string, Float32Array> | undefined) => {
    const out: { tconst: string; row: number | null; vector: Float32Array }[] = [];
    for (const t of new Set(tconsts)) {
      const row = version.rowOf.get(t);
      if (row !== undefined) out.push({ tconst: t, row, vector: version.vector(row) });
      else {
        const vector = outside?.get(t);
        if (vector) {
          encoded.push(t);
          out.push({ tconst: t, row: null, vector });
        } else unknown.push(t);
      }
    }
    return out;
  };
  const liked = resolve(req.liked, req.outside);
  const disliked = resolve(req.disliked, req.outside);
  const inputs = new Set([...liked, ...disliked].map((i) => i.tconst));
  const predicate = filterPredicate(req.filters);
  const candidates = resolve(
    req.candidates.filter((t) => !inputs.has(t)),
    req.candidatesOutside,
  ).filter((c) => c.row === null || predicate === null || predicate(version.items[c.row]!));

  if (liked.length === 0) {
    const picks = candidates.map((c) => ({ tconst: c.tconst, vector: c.vector, score: c.row === null ? 0 : version.weighted[c.row]! / 10 }));
    return { coldStart: true, unknown, encoded, liked: [], fitScore: null, picks: picks.sort(byScore) };
  }
  const query = profileOf(
    version,
    liked.map((l) => l.row ?? l.vector),
    disliked.map((d) => d.row ?? d.vector),
    params.dislike,
    params.recency,
  );
  const likedRows = liked.flatMap((l) => (l.row === null ? [] : [l.row]));
  const alpha = adaptiveAlpha(version, likedRows, params);
  const picks = candidates.map((c) => {
    if (c.row !== null) return { tconst: c.tconst, vector: c.vector, score: blendedScore(version.vectors, version.dims, version.prior, query, alpha, c.row) };
    let dot = 0;
    for (let k = 0; k < version.dims; k++) dot += c.vector[k]! * query[k]!;
    return { tconst: c.tconst, vector: c.vector, score: Math.fround(dot + alpha * version.meanPrior) };
  });
  // The inputs would take places in the top of the index: ask for that many more.
  const asked = Math.min(version.items.length, FIT_RANK + inputs.size);
  const [top] = await version.index.topK(query, asked, alpha);
  const others = top!.filter((n) => !inputs.has(version.items[n.index]!.tconst));
  const fitScore = others.length === 0 ? null : others[Math.min(FIT_RANK, others.length) - 1]!.score;
  return { coldStart: false, unknown, encoded, liked: liked.map(({ tconst, vector }) => ({ tconst, vector })), fitScore, picks: picks.sort(byScore) };
}

const byScore = (a: { score: number; tconst: string }, b: { score: number; tconst: string }) => b.score - a.score || (a.tconst < b.tconst ? -1 : a.tconst > b.tconst ? 1 : 0);
