import type { FilterPolicyOverrides } from '@cine/common';
import { ImdbInputError } from './imdb-datasets';

/**
 * The cleaning choices, in one place. Each rule says why it exists; the ledger counts the rows
 * each rule removed, and the analysis report prints those counts.
 *
 * Defaults are for the full dumps: of 12.3 M titles they keep the ~50 k feature films and the
 * ~10 k series that enough people rated to be worth recommending or counting. Small samples need
 * lower thresholds (`npm run etl -- --min-votes 0`).
 */
export interface FilterPolicy {
  /** Title types kept as films. */
  movieTypes: string[];
  /** Title types kept as series (needed by the "cinema vs series actors" KPI). */
  seriesTypes: string[];
  includeAdult: boolean;
  movieMinVotes: number;
  seriesMinVotes: number;
  minRuntime: number;
  maxRuntime: number;
  /** Keep a film whose runtime IMDb does not know. */
  keepUnknownRuntime: boolean;
  /** akas kept as French titles: region FR or language fr. */
  akaRegions: string[];
  akaLanguages: string[];
  /** A file whose share of malformed rows passes this fails the run. */
  maxRejectShare: number;
  /** Title types of the film index (every film the programme may name, whatever the rules below). */
  filmIndexTypes: string[];
  /** A film released this year or in the previous `recentYears` is kept whatever its votes (rule `recent`). */
  recentYears: number;
}

export const DEFAULT_POLICY: Readonly<FilterPolicy> = Object.freeze({
  movieTypes: ['movie'],
  seriesTypes: ['tvSeries', 'tvMiniSeries'],
  includeAdult: false,
  movieMinVotes: 1000,
  seriesMinVotes: 1000,
  minRuntime: 40,
  maxRuntime: 360,
  keepUnknownRuntime: true,
  akaRegions: ['FR'],
  akaLanguages: ['fr'],
  maxRejectShare: 0.001,
  filmIndexTypes: ['movie', 'tvMovie'],
  recentYears: 1,
});

export type TitleRule = 'title-type' | 'adult' | 'min-votes' | 'runtime';
/** Rules that keep a film the rules above would drop; their counts are the films they kept. */
export type KeepRule = 'programmed' | 'recent';

/** Why each rule exists: printed by `npm run etl -- --help`, the README and the report. */
export const RULE_REASONS: Record<TitleRule | KeepRule, string> = {
  'title-type':
    'A cinema shows feature films; series are kept only so the KPIs can compare film and series careers. Shorts, episodes, video games and TV specials are dropped.',
  adult: 'Adult titles have no place in a family cinema’s recommendations.',
  'min-votes':
    'Titles almost nobody rated are unknown to the audience and their ratings are noise; the threshold keeps tens of thousands of films from 12 M titles. Not applied when no title.ratings file is given.',
  runtime:
    'Films outside a sane feature length (default 40–360 min) are mislabelled shorts, installations or data errors; a film with an unknown runtime is kept.',
  programmed:
    'A film (movie or tvMovie) with a séance in the programme, not cancelled, is kept whatever its votes, type or runtime: the programme shows its page. Adult titles stay out.',
  recent:
    'A film released this year or last year is kept whatever its votes: a release of this week has a few hundred votes at most.',
};

export function resolvePolicy(overrides: FilterPolicyOverrides = {}): FilterPolicy {
  const policy: FilterPolicy = {
    ...DEFAULT_POLICY,
    movieTypes: [...DEFAULT_POLICY.movieTypes],
    seriesTypes: [...DEFAULT_POLICY.seriesTypes],
    akaRegions: [...DEFAULT_POLICY.akaRegions],
    akaLanguages: [...DEFAULT_POLICY.akaLanguages],
    filmIndexTypes: [...DEFAULT_POLICY.filmIndexTypes],
  };
  for (const [key, value] of Object.entries(overrides) as Array<[keyof FilterPolicyOverrides, unknown]>) {
    if (value === undefined) continue;
    switch (key) {
      case 'movieMinVotes':
      case 'seriesMinVotes':
      case 'minRuntime':
      case 'maxRuntime':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
          throw new ImdbInputError(`policy: ${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
        }
        policy[key] = value;
        break;
      case 'maxRejectShare':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
          throw new ImdbInputError(`policy: maxRejectShare must be between 0 and 1, got ${JSON.stringify(value)}`);
        }
        policy.maxRejectShare = value;
        break;
      case 'includeAdult':
        if (typeof value !== 'boolean') throw new ImdbInputError(`policy: includeAdult must be a boolean`);
        policy.includeAdult = value;
        break;
      default:
        throw new ImdbInputError(`policy: unknown setting "${String(key)}"`);
    }
  }
  if (policy.minRuntime > policy.maxRuntime) {
    throw new ImdbInputError(`policy: minRuntime (${policy.minRuntime}) is above maxRuntime (${policy.maxRuntime})`);
  }
  return policy;
}

export type TitleKind = 'movie' | 'series';

export interface TitleFacts {
  titleType: string;
  isAdult: boolean;
  runtime: number | null;
  votes: number;
}

/** The kind a title is kept as, or the first rule that drops it. */
export function classifyTitle(policy: FilterPolicy, t: TitleFacts, votesKnown: boolean): TitleKind | TitleRule {
  const kind: TitleKind | null = policy.movieTypes.includes(t.titleType)
    ? 'movie'
    : policy.seriesTypes.includes(t.titleType)
      ? 'series'
      : null;
  if (kind === null) return 'title-type';
  if (t.isAdult && !policy.includeAdult) return 'adult';
  if (votesKnown && t.votes < (kind === 'movie' ? policy.movieMinVotes : policy.seriesMinVotes)) return 'min-votes';
  if (kind === 'movie') {
    if (t.runtime === null ? !policy.keepUnknownRuntime : t.runtime < policy.minRuntime || t.runtime > policy.maxRuntime) {
      return 'runtime';
    }
  }
  return kind;
}

/** What is known of a title beyond its facts: whether the programme names it, and the run's year. */
export interface TitleContext {
  programmed: boolean;
  /** The calendar year the run started in. */
  thisYear: number;
}

/**
 * The title types some rule may keep or index: classifyWithContext drops every other type as
 * 'title-type' whatever the title's votes, runtime or programme, so the import drops them before
 * looking their ratings up.
 */
export function typesAnyRuleKeeps(policy: FilterPolicy): Set<string> {
  return new Set([...policy.movieTypes, ...policy.seriesTypes, ...policy.filmIndexTypes]);
}

/** A title of the film index: a film type, and not adult unless the policy keeps adult titles. */
export function inFilmIndex(policy: FilterPolicy, t: Pick<TitleFacts, 'titleType' | 'isAdult'>): boolean {
  return policy.filmIndexTypes.includes(t.titleType) && (!t.isAdult || policy.includeAdult);
}

/**
 * The kind a title is kept as and the keep rule that saved it (null: the policy kept it), or the
 * first rule that drops it. A programmed film is kept whatever its votes, type or runtime; a
 * recent one whatever its votes (the runtime rule still applies).
 */
export function classifyWithContext(
  policy: FilterPolicy,
  t: TitleFacts & { startYear: number | null },
  votesKnown: boolean,
  ctx: TitleContext,
): { verdict: TitleKind | TitleRule; keptBy: KeepRule | null } {
  const verdict = classifyTitle(policy, t, votesKnown);
  if (verdict === 'movie' || verdict === 'series' || verdict === 'adult') return { verdict, keptBy: null };
  if (ctx.programmed && inFilmIndex(policy, t)) return { verdict: 'movie', keptBy: 'programmed' };
  if (verdict === 'min-votes' && t.startYear !== null && t.startYear >= ctx.thisYear - policy.recentYears) {
    const unrated = classifyTitle(policy, t, false);
    if (unrated === 'movie') return { verdict: unrated, keptBy: 'recent' };
  }
  return { verdict, keptBy: null };
}
