import { TEST_TIMEOUT_MS } from './wait';

/**
 * Run before every spec file (jest `setupFilesAfterEnv`): the default timeout of its tests and
 * hooks comes from TEST_TIME_FACTOR like every other deadline. (What a spec spawned is killed by
 * its test environment's teardown, after the spec's own afterAll hooks.)
 */
jest.setTimeout(TEST_TIMEOUT_MS);
