import { classifyTitle, classifyWithContext, DEFAULT_POLICY, inFilmIndex, resolvePolicy, typesAnyRuleKeeps } from './filter-policy';

describe('filter policy', () => {
  const policy = resolvePolicy();
  const film = { titleType: 'movie', isAdult: false, runtime: 100, votes: 5000 };

  it('keeps rated feature films and series, and says which rule drops the rest', () => {
    expect(classifyTitle(policy, film, true)).toBe('movie');
    expect(classifyTitle(policy, { ...film, titleType: 'tvMiniSeries', runtime: null }, true)).toBe('series');
    expect(classifyTitle(policy, { ...film, titleType: 'short' }, true)).toBe('title-type');
    expect(classifyTitle(policy, { ...film, isAdult: true }, true)).toBe('adult');
    expect(classifyTitle(policy, { ...film, votes: 999 }, true)).toBe('min-votes');
    expect(classifyTitle(policy, { ...film, runtime: 12 }, true)).toBe('runtime');
    expect(classifyTitle(policy, { ...film, runtime: 900 }, true)).toBe('runtime');
    expect(classifyTitle(policy, { ...film, runtime: null }, true)).toBe('movie');
  });

  it('ignores the vote threshold when no ratings file was given', () => {
    expect(classifyTitle(policy, { ...film, votes: 0 }, false)).toBe('movie');
  });

  it('applies per-run overrides and validates them by name', () => {
    const low = resolvePolicy({ movieMinVotes: 0, includeAdult: true });
    expect(classifyTitle(low, { ...film, votes: 0, isAdult: true }, true)).toBe('movie');
    expect(low.seriesMinVotes).toBe(DEFAULT_POLICY.seriesMinVotes);
    expect(() => resolvePolicy({ movieMinVotes: -1 })).toThrow(/movieMinVotes must be a non-negative integer/);
    expect(() => resolvePolicy({ minRuntime: 500 })).toThrow(/minRuntime \(500\) is above maxRuntime \(360\)/);
    expect(() => resolvePolicy({ maxRejectShare: 2 })).toThrow(/maxRejectShare must be between 0 and 1/);
  });

  describe('keep rules', () => {
    const ctx = { programmed: false, thisYear: 2026 };
    const obscure = { ...film, votes: 120, startYear: 1961 };

    it('keeps a programmed film whatever its votes, type or runtime, never an adult one', () => {
      const programmed = { ...ctx, programmed: true };
      expect(classifyWithContext(policy, obscure, true, ctx)).toEqual({ verdict: 'min-votes', keptBy: null });
      expect(classifyWithContext(policy, obscure, true, programmed)).toEqual({ verdict: 'movie', keptBy: 'programmed' });
      expect(classifyWithContext(policy, { ...obscure, titleType: 'tvMovie' }, true, programmed)).toEqual({ verdict: 'movie', keptBy: 'programmed' });
      expect(classifyWithContext(policy, { ...obscure, runtime: 25 }, true, programmed)).toEqual({ verdict: 'movie', keptBy: 'programmed' });
      expect(classifyWithContext(policy, { ...obscure, isAdult: true }, true, programmed)).toEqual({ verdict: 'adult', keptBy: null });
      expect(classifyWithContext(policy, { ...obscure, titleType: 'tvEpisode' }, true, programmed)).toEqual({ verdict: 'title-type', keptBy: null });
      // Kept by the policy anyway: no keep rule is counted.
      expect(classifyWithContext(policy, { ...film, startYear: 1961 }, true, programmed)).toEqual({ verdict: 'movie', keptBy: null });
    });

    it('keeps a film of this year or last year whatever its votes, not whatever its runtime or type', () => {
      expect(classifyWithContext(policy, { ...obscure, startYear: 2026 }, true, ctx)).toEqual({ verdict: 'movie', keptBy: 'recent' });
      expect(classifyWithContext(policy, { ...obscure, startYear: 2025 }, true, ctx)).toEqual({ verdict: 'movie', keptBy: 'recent' });
      expect(classifyWithContext(policy, { ...obscure, startYear: 2024 }, true, ctx)).toEqual({ verdict: 'min-votes', keptBy: null });
      expect(classifyWithContext(policy, { ...obscure, startYear: null }, true, ctx)).toEqual({ verdict: 'min-votes', keptBy: null });
      expect(classifyWithContext(policy, { ...obscure, startYear: 2026, runtime: 12 }, true, ctx)).toEqual({ verdict: 'min-votes', keptBy: null });
      expect(classifyWithContext(policy, { ...obscure, startYear: 2026, titleType: 'tvSeries' }, true, ctx)).toEqual({ verdict: 'min-votes', keptBy: null });
    });

    it('puts every non-adult film, of either film type, in the film index', () => {
      expect(inFilmIndex(policy, { titleType: 'movie', isAdult: false })).toBe(true);
      expect(inFilmIndex(policy, { titleType: 'tvMovie', isAdult: false })).toBe(true);
      expect(inFilmIndex(policy, { titleType: 'short', isAdult: false })).toBe(false);
      expect(inFilmIndex(policy, { titleType: 'movie', isAdult: true })).toBe(false);
      expect(inFilmIndex(resolvePolicy({ includeAdult: true }), { titleType: 'movie', isAdult: true })).toBe(true);
    });
  });
});

describe('typesAnyRuleKeeps', () => {
  it('holds every type some rule keeps or indexes; any other is dropped as title-type whatever its facts', () => {
    const policy = resolvePolicy({ includeAdult: true });
    const relevant = typesAnyRuleKeeps(policy);
    const allTypes = ['movie', 'tvMovie', 'short', 'tvShort', 'tvEpisode', 'tvSeries', 'tvMiniSeries', 'tvSpecial', 'video', 'videoGame', 'tvPilot'];
    for (const titleType of allTypes) {
      for (const isAdult of [false, true]) {
        for (const programmed of [false, true]) {
          const facts = { titleType, isAdult, runtime: 100, votes: 1_000_000, startYear: 2026 };
          const { verdict } = classifyWithContext(policy, facts, true, { programmed, thisYear: 2026 });
          const kept = verdict === 'movie' || verdict === 'series' || inFilmIndex(policy, facts);
          if (!relevant.has(titleType)) expect([titleType, verdict, kept]).toEqual([titleType, 'title-type', false]);
          else if (!isAdult) expect([titleType, kept]).toEqual([titleType, true]);
        }
      }
    }
  });
});
