import { deterministicJobId, JobName } from './job-catalogue';

describe('deterministicJobId', () => {
  it('is the same for the same payload whatever the key order, and has no colon', () => {
    const a = deterministicJobId(JobName.ImportCatalogue, { sources: ['/x'], policy: { movieMinVotes: 5, seriesMinVotes: 1 } });
    const b = deterministicJobId(JobName.ImportCatalogue, { policy: { seriesMinVotes: 1, movieMinVotes: 5 }, sources: ['/x'] });
    expect(a).toBe(b);
    expect(a).not.toContain(':');
    expect(a.startsWith('import-catalogue-')).toBe(true);
  });

  it('differs when the payload or the nonce differs', () => {
    const base = { sources: ['/x'], policy: {} };
    const a = deterministicJobId(JobName.ImportCatalogue, base);
    expect(deterministicJobId(JobName.ImportCatalogue, { ...base, sources: ['/y'] })).not.toBe(a);
    expect(deterministicJobId(JobName.ImportCatalogue, base, 'again')).not.toBe(a);
    expect(deterministicJobId(JobName.PostImport, base)).not.toBe(a);
  });
});
