import { ConfigError } from '@cine/common';
import { loadEtlConfig, OFFICIAL_IMDB_SOURCE } from './config';

describe('ETL configuration', () => {
  it('defaults to the embedded database, in-process jobs and the official IMDb datasets', () => {
    const config = loadEtlConfig({});
    expect(config).toMatchObject({ databaseUrl: undefined, redisUrl: undefined, pgliteDir: '.data/pglite', imdbSource: OFFICIAL_IMDB_SOURCE });
    expect(config.jobs).toEqual({ attempts: 3, backoffMs: 30_000, lockDurationMs: 60_000, stalledIntervalMs: 30_000, prefix: 'bull' });
  });

  it('stops on bad values, naming each variable', () => {
    try {
      loadEtlConfig({ REDIS_URL: 'http://localhost', ETL_JOB_ATTEMPTS: '0', LOG_LEVEL: 'chatty' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual(['REDIS_URL', 'LOG_LEVEL', 'ETL_JOB_ATTEMPTS']);
    }
  });
});
