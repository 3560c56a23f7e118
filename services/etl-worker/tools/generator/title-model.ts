import { tconstOf } from './imdb-files';
import { GENRES, type Genre, genreIndex } from './imdb-vocabulary';
import { Rng, WeightedTable } from './prng';
import { SeriesPool } from './series-pool';

/**
 * The title-level facts every title file agrees on (type, years, genres, votes, episode parent),
 * produced in tconst order. Each file writer runs its own TitleModel over the same seed; the
 * model is cheap next to formatting and gzip, and re-running it is what lets files be written by
 * independent workers while staying consistent. Memory is fixed: one block of types and a
 * bounded pool of open series, whatever the scale.
 */

export const TitleType = {
  tvEpisode: 0,
  short: 1,
  movie: 2,
  video: 3,
  tvSeries: 4,
  tvMovie: 5,
  tvMiniSeries: 6,
  tvSpecial: 7,
  videoGame: 8,
  tvShort: 9,
} as const;
export type TitleType = (typeof TitleType)[keyof typeof TitleType];

export const TITLE_TYPE_NAMES = [
  'tvEpisode', 'short', 'movie', 'video', 'tvSeries', 'tvMovie', 'tvMiniSeries', 'tvSpecial', 'videoGame', 'tvShort',
] as const;

interface TypeProfile {
  share: number;
  adult: number;
  rated: number;
  /** log10(numVotes) ~ Normal(votesMu, votesSigma) for rated titles. */
  votesMu: number;
  votesSigma: number;
  ratingMu: number;
  nullStartYear: number;
  /** TV formats did not exist before television. */
  minYear: number;
  nullGenres: number;
  genres: WeightedTable<number>;
}

const g = (name: Genre): number => genreIndex(name);

const FILM_GENRES = WeightedTable.of<number>([
  [g('Drama'), 22], [g('Comedy'), 16], [g('Documentary'), 9], [g('Action'), 5], [g('Romance'), 5],
  [g('Thriller'), 4], [g('Horror'), 4], [g('Crime'), 4], [g('Adventure'), 3], [g('Family'), 2.5],
  [g('Animation'), 3], [g('Music'), 3], [g('Mystery'), 2], [g('Fantasy'), 2], [g('Biography'), 2],
  [g('History'), 2], [g('Sci-Fi'), 1.5], [g('Musical'), 1], [g('War'), 1], [g('Western'), 0.8],
  [g('Sport'), 1.5], [g('Film-Noir'), 0.1], [g('News'), 0.3], [g('Reality-TV'), 0.2], [g('Talk-Show'), 0.1],
]);

const TV_GENRES = WeightedTable.of<number>([
  [g('Drama'), 15], [g('Comedy'), 15], [g('Documentary'), 8], [g('Reality-TV'), 8], [g('Talk-Show'), 7],
  [g('Game-Show'), 3], [g('News'), 4], [g('Family'), 4], [g('Animation'), 5], [g('Crime'), 4],
  [g('Action'), 3], [g('Adventure'), 3], [g('Romance'), 4], [g('Mystery'), 2], [g('Music'), 3],
  [g('Fantasy'), 2], [g('Sci-Fi'), 1.5], [g('History'), 1.5], [g('Sport'), 2], [g('Thriller'), 1.5],
  [g('Horror'), 1], [g('Biography'), 1], [g('War'), 0.5], [g('Western'), 0.3], [g('Musical'), 0.3],
]);

const GAME_GENRES = WeightedTable.of<number>([
  [g('Action'), 10], [g('Adventure'), 8], [g('Fantasy'), 4], [g('Sci-Fi'), 4], [g('Sport'), 3],
  [g('Family'), 3], [g('Horror'), 2], [g('Comedy'), 2], [g('Mystery'), 1], [g('Animation'), 2], [g('War'), 1],
]);

/**
 * Mix of the real dump: tvEpisode is 9.5 M of 12.3 M titles (77.2%), then short ≈ 8%, movie ≈ 7%.
 * Rated shares and vote laws are tuned so that ≈ 13% of titles are rated and, at scale 1,
 * ≈ 50 k non-adult movies and ≈ 10 k series reach 1000 votes.
 */
const PROFILES: readonly TypeProfile[] = [
  { share: 9.5 / 12.3, adult: 0.004, rated: 0.085, votesMu: 1.45, votesSigma: 0.6, ratingMu: 7.3, nullStartYear: 0.05, minYear: 1946, nullGenres: 0.3, genres: TV_GENRES },
  { share: 0, adult: 0.01, rated: 0.17, votesMu: 1.4, votesSigma: 0.6, ratingMu: 6.7, nullStartYear: 0.02, minYear: 1890, nullGenres: 0.02, genres: FILM_GENRES },
  { share: 0.07, adult: 0.075, rated: 0.4, votesMu: 2.0, votesSigma: 1.0, ratingMu: 6.2, nullStartYear: 0.03, minYear: 1894, nullGenres: 0.06, genres: FILM_GENRES },
  { share: 0.027, adult: 0.28, rated: 0.2, votesMu: 1.5, votesSigma: 0.75, ratingMu: 6.4, nullStartYear: 0.04, minYear: 1920, nullGenres: 0.08, genres: FILM_GENRES },
  { share: 0.022, adult: 0.005, rated: 0.35, votesMu: 1.85, votesSigma: 0.92, ratingMu: 6.9, nullStartYear: 0.02, minYear: 1946, nullGenres: 0.05, genres: TV_GENRES },
  { share: 0.0125, adult: 0.02, rated: 0.4, votesMu: 1.7, votesSigma: 0.75, ratingMu: 6.3, nullStartYear: 0.02, minYear: 1946, nullGenres: 0.05, genres: FILM_GENRES },
  { share: 0.0062, adult: 0.005, rated: 0.45, votesMu: 1.9, votesSigma: 0.9, ratingMu: 7.0, nullStartYear: 0.02, minYear: 1950, nullGenres: 0.05, genres: TV_GENRES },
  { share: 0.0055, adult: 0.002, rated: 0.3, votesMu: 1.5, votesSigma: 0.7, ratingMu: 6.8, nullStartYear: 0.02, minYear: 1946, nullGenres: 0.1, genres: TV_GENRES },
  { share: 0.0036, adult: 0.005, rated: 0.35, votesMu: 1.9, votesSigma: 0.9, ratingMu: 6.8, nullStartYear: 0.03, minYear: 1972, nullGenres: 0.05, genres: GAME_GENRES },
  { share: 0.0008, adult: 0.005, rated: 0.3, votesMu: 1.3, votesSigma: 0.5, ratingMu: 6.6, nullStartYear: 0.02, minYear: 1946, nullGenres: 0.1, genres: TV_GENRES },
];
// short takes what the others leave, so the shares add up to exactly one.
(PROFILES[TitleType.short] as TypeProfile).share = 1 - PROFILES.reduce((sum, p) => sum + p.share, 0);

export const TYPE_SHARES: readonly number[] = PROFILES.map((p) => p.share);

const TYPE_CDF: Float64Array = (() => {
  const cdf = new Float64Array(PROFILES.length);
  let sum = 0;
  PROFILES.forEach((p, i) => {
    sum += p.share;
    cdf[i] = sum;
  });
  cdf[PROFILES.length - 1] = 1;
  return cdf;
})();

const SHORT_GENRE = genreIndex('Short');
const ADULT_GENRE = genreIndex('Adult');
const MAX_VOTES = 3_200_000;
const LAST_YEAR = 2025;

/** Random streams: each purpose re-seeds from its own salt, so adding a draw to one never shifts another. */
export const Stream = {
  title: 1,
  typeBlock: 2,
  text: 3,
  akas: 4,
  crew: 5,
  principals: 6,
  names: 7,
  seriesCrew: 8,
} as const;

/** One title's facts. The model reuses a single instance; copy what must outlive the next call. */
export class TitleRecord {
  index = -1;
  tconst = '';
  type: TitleType = TitleType.movie;
  isAdult = false;
  startYear = 0;
  endYear = 0;
  runtime = 0;
  genreMask = 0;
  genres = '\\N';
  /** 0 when the title has no rating row. */
  votes = 0;
  /** Tenths: 73 is 7.3. */
  ratingTenths = 0;
  /** log10 of votes, 0 when unrated; drives how many akas and principals a title gets. */
  popularity = 0;
  parent = -1;
  parentTconst = '';
  season = 0;
  episode = 0;

  get typeName(): string {
    return TITLE_TYPE_NAMES[this.type];
  }
}

/**
 * Keeps a random count on its target: each draw's mean is scaled by how far the running total is
 * from where it should be, and hard limits make the final total exact (the last titles absorb the
 * remainder). That gives "rows scale linearly" exactly, not just in expectation.
 */
export class QuotaController {
  private produced = 0;

  constructor(
    readonly target: number,
    private readonly items: number,
    private readonly softness: number,
  ) {}

  /** Multiplier for the next item's expected count. */
  factor(itemIndex: number): number {
    const due = (this.target * (itemIndex + 1)) / this.items;
    const x = (due - this.produced) / this.softness;
    return Math.exp(x > 3 ? 3 : x < -3 ? -3 : x);
  }

  /** Clamp a drawn count so the total can still land exactly on target. */
  clamp(itemIndex: number, count: number, maxPerItem: number): number {
    const left = this.target - this.produced;
    const itemsLeft = this.items - itemIndex;
    if (count > left) count = left;
    const mustTake = left - (itemsLeft - 1) * maxPerItem;
    if (count < mustTake) count = mustTake;
    if (itemsLeft === 1) count = left;
    return count < 0 ? 0 : count;
  }

  add(count: number): void {
    this.produced += count;
  }

  get total(): number {
    return this.produced;
  }
}

const TYPE_BLOCK = 1000;
const genreNameCache = new Map<number, string>();

function genreString(mask: number): string {
  if (mask === 0) return '\\N';
  let s = genreNameCache.get(mask);
  if (s === undefined) {
    const names: string[] = [];
    for (let i = 0; i < GENRES.length; i++) if (mask & (1 << i)) names.push(GENRES[i] as string);
    s = names.join(',');
    genreNameCache.set(mask, s);
  }
  return s;
}

export class TitleModel {
  readonly record = new TitleRecord();
  private readonly rng = new Rng();
  private readonly blockRng = new Rng();
  private readonly blockTypes = new Uint8Array(TYPE_BLOCK);
  private blockStart = -TYPE_BLOCK;
  private readonly pool = new SeriesPool();
  /** Episodes turned into series while no series was open yet, to be given back later. */
  private episodeDebt = 0;
  private readonly ratings: QuotaController;
  private readonly ratedCalibration: number;
  private next = 0;

  constructor(
    private readonly seed: number,
    readonly titleCount: number,
    ratingTarget: number,
  ) {
    this.ratings = new QuotaController(ratingTarget, titleCount, 10);
    const expectedShare = PROFILES.reduce((sum, p) => sum + p.share * p.rated, 0);
    this.ratedCalibration = ratingTarget / titleCount / expectedShare;
  }

  get done(): boolean {
    return this.next >= this.titleCount;
  }

  /** Advance to the next title; returns the shared record. */
  advance(): TitleRecord {
    const i = this.next++;
    if (i >= this.titleCount) throw new RangeError('TitleModel exhausted');
    const t = this.record;
    const rng = this.rng.reset(this.seed, Stream.title, i);
    t.index = i;
    t.tconst = tconstOf(i);
    t.parent = -1;
    t.parentTconst = '';
    t.season = 0;
    t.episode = 0;
    t.endYear = 0;

    let type = this.typeAt(i);
    if (type === TitleType.tvEpisode && this.pool.isEmpty) {
      type = TitleType.tvSeries;
      this.episodeDebt++;
    } else if (type === TitleType.tvSeries && this.episodeDebt > 0 && !this.pool.isEmpty) {
      type = TitleType.tvEpisode;
      this.episodeDebt--;
    }
    t.type = type as TitleType;
    const p = PROFILES[type] as TypeProfile;

    let parentPopularity = 0;
    if (type === TitleType.tvEpisode) {
      const slot = this.pool.pick(rng.float());
      parentPopularity = this.pool.popularity(slot);
      this.fillEpisode(t, slot, rng);
    } else {
      t.isAdult = rng.chance(p.adult);
      t.startYear = rng.chance(p.nullStartYear) ? 0 : drawYear(rng, p.minYear);
      t.runtime = drawRuntime(rng, type);
      t.genreMask = drawGenres(rng, type, p, t.isAdult);
      t.genres = genreString(t.genreMask);
      if (type === TitleType.tvSeries || type === TitleType.tvMiniSeries) t.endYear = drawEndYear(rng, type, t.startYear);
    }

    this.rate(t, rng, p, parentPopularity);

    if (type === TitleType.tvSeries || type === TitleType.tvMiniSeries) {
      this.pool.open(rng, i, type === TitleType.tvMiniSeries, t.startYear, t.runtime, t.genreMask, t.isAdult, t.popularity);
    }
    return t;
  }

  private typeAt(i: number): number {
    if (i >= this.blockStart + TYPE_BLOCK) this.fillBlock(i);
    return this.blockTypes[i - this.blockStart] as number;
  }

  /**
   * Systematic sampling with a random start, then a shuffle: each block of 1000 titles holds the
   * type mix to within one title per type, so totals such as the 9.5 M episodes come out exact
   * at any scale while the order inside a block still looks random.
   */
  private fillBlock(start: number): void {
    this.blockStart = start;
    const size = Math.min(TYPE_BLOCK, this.titleCount - start);
    const rng = this.blockRng.reset(this.seed, Stream.typeBlock, start / TYPE_BLOCK);
    const offset = rng.float();
    let type = 0;
    for (let k = 0; k < size; k++) {
      const u = (k + offset) / size;
      while (u >= (TYPE_CDF[type] as number) && type < TYPE_CDF.length - 1) type++;
      this.blockTypes[k] = type;
    }
    for (let k = size - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      const tmp = this.blockTypes[k] as number;
      this.blockTypes[k] = this.blockTypes[j] as number;
      this.blockTypes[j] = tmp;
    }
  }

  private fillEpisode(t: TitleRecord, slot: number, rng: Rng): void {
    const pool = this.pool;
    t.parent = pool.titleIndex(slot);
    t.parentTconst = tconstOf(t.parent);
    t.isAdult = pool.isAdult(slot);
    const numbered = pool.nextEpisode(slot);
    if (numbered) {
      t.season = pool.season(slot);
      t.episode = pool.episodeInSeason(slot);
    }
    const seriesStart = pool.startYear(slot);
    if (seriesStart === 0 || rng.chance(0.05)) t.startYear = 0;
    else t.startYear = Math.min(LAST_YEAR, seriesStart + (numbered ? t.season - 1 : rng.int(4)));
    const seriesRuntime = pool.runtime(slot);
    t.runtime = rng.chance(0.35) ? (seriesRuntime > 0 && rng.chance(0.8) ? seriesRuntime : drawRuntime(rng, TitleType.tvEpisode)) : 0;
    // Episodes mostly carry their series' genres, as IMDb copies them down.
    t.genreMask = rng.chance(0.75) ? pool.genreMask(slot) : drawGenres(rng, TitleType.tvEpisode, PROFILES[0] as TypeProfile, t.isAdult);
    t.genres = genreString(t.genreMask);
  }

  private rate(t: TitleRecord, rng: Rng, p: TypeProfile, parentPopularity: number): void {
    let chance = p.rated * this.ratedCalibration;
    let mu = p.votesMu;
    if (t.type === TitleType.tvEpisode) {
      // Episodes of watched series get rated; those of obscure ones rarely do.
      if (parentPopularity > 0) {
        chance *= 2.2;
        mu = Math.max(mu, parentPopularity - 1.3);
      } else chance *= 0.5;
    }
    if (t.isAdult) {
      chance *= 0.6;
      mu -= 0.5;
    }
    chance *= this.ratings.factor(t.index);
    const wanted = rng.chance(chance) ? 1 : 0;
    const rated = this.ratings.clamp(t.index, wanted, 1) === 1;
    if (!rated) {
      t.votes = 0;
      t.ratingTenths = 0;
      t.popularity = 0;
      return;
    }
    this.ratings.add(1);
    const logVotes = mu + p.votesSigma * rng.normal();
    const votes = Math.min(MAX_VOTES, Math.max(5, Math.floor(10 ** logVotes)));
    t.votes = votes;
    t.popularity = Math.log10(votes);
    // Few votes swing further from the mean, as small samples do.
    const spread = 0.9 + 1.2 / t.popularity;
    const rating = Math.round((p.ratingMu + spread * rng.normal()) * 10);
    t.ratingTenths = rating < 10 ? 10 : rating > 100 ? 100 : rating;
  }
}

/** Years lean hard towards the present: most titles are from the last two decades. */
function drawYear(rng: Rng, minYear: number): number {
  const u = rng.float();
  let year: number;
  if (u < 0.006) year = LAST_YEAR + 1 + rng.int(3); // announced titles
  else if (u < 0.13) year = minYear + rng.int(LAST_YEAR - minYear + 1);
  else year = LAST_YEAR - Math.floor(rng.exponential(17));
  return year < minYear ? minYear + rng.int(20) : year;
}

function drawEndYear(rng: Rng, type: number, startYear: number): number {
  if (startYear === 0) return 0;
  if (type === TitleType.tvMiniSeries) return rng.chance(0.7) ? Math.min(LAST_YEAR, startYear + (rng.chance(0.8) ? 0 : 1)) : 0;
  const age = LAST_YEAR - startYear;
  if (age < 1 || rng.chance(age < 5 ? 0.6 : 0.2)) return 0; // still running
  return Math.min(LAST_YEAR, startYear + Math.min(age, Math.floor(rng.exponential(3))));
}

const EPISODE_RUNTIMES = [22, 23, 24, 25, 30, 42, 43, 44, 45, 50, 60, 11, 12, 5];
const SERIES_RUNTIMES = [22, 24, 30, 45, 60, 43, 25, 50, 11, 5, 90];
const MINI_RUNTIMES = [45, 50, 60, 52, 300, 360, 240];

function normalInt(rng: Rng, mean: number, sd: number, min: number, max: number): number {
  const v = Math.round(mean + sd * rng.normal());
  return v < min ? min : v > max ? max : v;
}

/** Minutes, 0 for unknown (`\N`); every type has its own law and share of unknowns. */
function drawRuntime(rng: Rng, type: number): number {
  switch (type) {
    case TitleType.movie:
      if (rng.chance(0.17)) return 0;
      return rng.chance(0.01) ? 150 + rng.int(250) : normalInt(rng, 93, 20, 45, 240);
    case TitleType.short:
      return rng.chance(0.15) ? 0 : Math.min(45, 1 + Math.floor(Math.exp(2.1 + 0.6 * rng.normal())));
    case TitleType.tvEpisode:
      return rng.pick(EPISODE_RUNTIMES);
    case TitleType.tvSeries:
      return rng.chance(0.4) ? 0 : rng.pick(SERIES_RUNTIMES);
    case TitleType.tvMiniSeries:
      return rng.chance(0.5) ? 0 : rng.pick(MINI_RUNTIMES);
    case TitleType.video:
      return rng.chance(0.4) ? 0 : normalInt(rng, 60, 35, 1, 240);
    case TitleType.tvMovie:
      return rng.chance(0.25) ? 0 : normalInt(rng, 88, 15, 40, 200);
    case TitleType.tvSpecial:
      return rng.chance(0.4) ? 0 : normalInt(rng, 60, 30, 5, 180);
    case TitleType.videoGame:
      return rng.chance(0.95) ? 0 : 5 + rng.int(56);
    default:
      return rng.chance(0.3) ? 0 : 1 + rng.int(30);
  }
}

/** One to three genres (45/30/25%), `Short` on shorts and `Adult` on adult titles as IMDb does. */
function drawGenres(rng: Rng, type: number, p: TypeProfile, isAdult: boolean): number {
  if (rng.chance(p.nullGenres)) return isAdult ? 1 << ADULT_GENRE : 0;
  const u = rng.float();
  const wanted = u < 0.45 ? 1 : u < 0.75 ? 2 : 3;
  let mask = 0;
  let count = 0;
  if (type === TitleType.short && rng.chance(0.7)) {
    mask |= 1 << SHORT_GENRE;
    count++;
  }
  if (isAdult) {
    mask |= 1 << ADULT_GENRE;
    count++;
  }
  for (let tries = 0; count < wanted && tries < 8; tries++) {
    const bit = 1 << p.genres.draw(rng);
    if ((mask & bit) === 0) {
      mask |= bit;
      count++;
    }
  }
  return mask;
}
