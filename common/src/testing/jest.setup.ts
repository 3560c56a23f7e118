import { killSpawned } from './processes';
import { TEST_TIMEOUT_MS } from './wait';

/**
 * Run before every spec file (jest `setupFilesAfterEnv`): the default timeout of its tests and
 * hooks comes from TEST_TIME_FACTOR like every other deadline, and whatever it spawned is killed
 * when it ends, passed or not.
 */
jest.setTimeout(TEST_TIMEOUT_MS);
afterAll(() => killSpawned());
