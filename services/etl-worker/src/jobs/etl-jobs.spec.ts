import { JobName } from '@cine/common';
import { assertEveryJobHasHandler } from './etl.processors';
import { planImport } from './etl-queue';

describe('the ETL job catalogue', () => {
  it('refuses to start when a job name has no handler', () => {
    const noop = async () => undefined;
    expect(() => assertEveryJobHasHandler({ [JobName.ImportCatalogue]: noop })).toThrow('no handler for job(s): post-import');
    expect(() => assertEveryJobHasHandler({ [JobName.ImportCatalogue]: noop, [JobName.PostImport]: noop })).not.toThrow();
  });

  it('plans an import as one run of both parts then post-import, with ids that depend only on the request', () => {
    const plan = planImport({ imdb: ['/a', '/b'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 } });
    expect(plan.steps.map((s) => s.name)).toEqual([JobName.ImportCatalogue]);
    expect(plan.steps[0]?.data).toEqual({ imdb: { sources: ['/a', '/b'], policy: { movieMinVotes: 5 } }, tmdb: { sources: ['/t.csv'] } });
    expect(planImport({ imdb: ['/a'], allowShrink: true }).steps[0]?.data).toEqual({ imdb: { sources: ['/a'], policy: {} }, allowShrink: true });
    expect(plan.final.name).toBe(JobName.PostImport);
    expect(planImport({ imdb: ['/a', '/b'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 } }).id).toBe(plan.id);
    expect(planImport({ imdb: ['/b', '/a'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 } }).id).not.toBe(plan.id);
    expect(planImport({ imdb: ['/a', '/b'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 }, nonce: 'x' }).id).not.toBe(plan.id);
  });

  it('refuses an import of nothing', () => {
    expect(() => planImport({ imdb: [], tmdb: [] })).toThrow(/nothing to import/);
  });
});
