import { classifyTitle, DEFAULT_POLICY, resolvePolicy } from './filter-policy';

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
});
