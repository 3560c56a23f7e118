/**
 * The monorepo's tests in four tiers (jest projects), each run on its own by `npm run test:<tier>`
 * and all in turn by `npm test` (scripts/test-tiers.js, which prints each tier's time):
 *
 * - unit: pure logic, mocked repositories; no database, Redis, network or child process.
 * - integration: the real PostgreSQL (and embedded PGlite), Redis and HTTP, all in this process.
 * - browser: the page and the widget in Chromium, against the real gateway and recommender.
 * - infra: compose files, the native stack, `npm start`, the soak smoke, and whatever runs the
 *   services or their command lines as processes.
 *
 * A spec beside its code (`src/`) is a unit spec and one under `test/` an integration spec unless
 * listed below. `common/src/testing/jest-tiers.spec.ts` checks every spec lands in exactly one tier.
 */

/** Specs under `src/` that need a database, a server or a socket. */
const INTEGRATION_IN_SRC = [
  'common/src/http/observability.spec.ts',
  'db/src/db.factory.spec.ts',
  'services/etl-worker/src/catalogue/copy-segments.spec.ts',
  'services/etl-worker/src/sources/source.repository.spec.ts',
];

/** Specs under `test/` that are pure logic on files and memory (the tools' specs among them). */
const UNIT_IN_TEST = [
  'services/etl-worker/test/generator/**/*.spec.ts',
  'services/recommender/test/quality-ablation.spec.ts',
  'services/recommender/test/quality-protocol.spec.ts',
];

const BROWSER = ['gateway/test/browser/**/*.spec.ts', 'services/notifier/test/mail/mail-accessibility.spec.ts', 'analysis/test/deck.spec.ts'];

/** Specs whose subject is a process: the services, their command lines, a lock between processes. */
const INFRA = [
  'infra/test/**/*.spec.ts',
  'common/src/testing/processes.spec.ts',
  'db/src/embedded-lock.spec.ts',
  'services/etl-worker/test/etl.cli.spec.ts',
  'services/etl-worker/test/etl-worker-processes.spec.ts',
  'services/notifier/test/digest-kill.spec.ts',
];

const SRC = '**/src/**/*.spec.ts';
const TEST = '**/test/**/*.spec.ts';

const at = (globs) => globs.map((g) => `<rootDir>/${g}`);
// jest puts <rootDir> only at the start of a pattern, so a negation names the path from any depth.
const not = (globs) => globs.map((g) => `!**/${g}`);

const shared = {
  // jest's node environment, which also kills what a spec spawned and left running.
  testEnvironment: '<rootDir>/common/src/testing/test-environment.ts',
  testPathIgnorePatterns: ['/node_modules/'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // The default timeout: 60 s × TEST_TIME_FACTOR.
  setupFilesAfterEnv: ['<rootDir>/common/src/testing/jest.setup.ts'],
};

/** The sample catalogue, imported once per run into a template the reading suites copy. */
const samplesTemplate = {
  globalSetup: '<rootDir>/services/etl-worker/test/samples-template.global-setup.ts',
  globalTeardown: '<rootDir>/services/etl-worker/test/samples-template.global-teardown.ts',
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [...at([SRC, ...UNIT_IN_TEST]), ...not([...INTEGRATION_IN_SRC, ...INFRA])],
    },
    {
      ...shared,
      ...samplesTemplate,
      displayName: 'integration',
      testMatch: [...at([TEST, ...INTEGRATION_IN_SRC]), ...not([...UNIT_IN_TEST, ...BROWSER, ...INFRA])],
    },
    {
      ...shared,
      ...samplesTemplate,
      displayName: 'browser',
      testMatch: at(BROWSER),
    },
    {
      ...shared,
      ...samplesTemplate,
      displayName: 'infra',
      testMatch: at(INFRA),
    },
  ],
  // Type checking is `npm run typecheck`; swc only strips types so the suites start fast.
  // Three workers on two cores: many suites wait on a process, a server or PostgreSQL, and a third
  // worker fills those waits (measured: 2 workers 289 s, 4 workers 261 s with the two heaviest
  // suites slowed to 143 s each by contention).
  maxWorkers: 3,
};
