import { deterministicJobId, JobName } from './job-catalogue';

describe('deterministicJobId', () => {
  it('is the same for the same payload whatever the key order, and has no colon', () => {
    const a = deterministicJobId(JobName.ImportImdb, { sources: ['/x'], policy: { movieMinVotes: 5, seriesMinVotes: 1 } });
    const b = deterministicJobId(JobName.ImportImdb, { policy: { seriesMinVotes: 1, movieMinVotes: 5 }, sources: ['/x'] });
    expect(a).toBe(b);
    expect(a).not.toContain(':');
    expect(a.startsWith('import-imdb-')).toBe(true);
  });

  it('differs when the payload or the nonce differs', () => {
    const base = { sources: ['/x'], policy: {} };
    const a = deterministicJobId(JobName.ImportImdb, base);
    expect(deterministicJobId(JobName.ImportImdb, { ...base, sources: ['/y'] })).not.toBe(a);
    expect(deterministicJobId(JobName.ImportImdb, base, 'again')).not.toBe(a);
    expect(deterministicJobId(JobName.ImportTmdb, base)).not.toBe(a);
  });
});
