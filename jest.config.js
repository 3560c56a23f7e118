/** One jest run for the whole monorepo: every `*.spec.ts` beside the code it tests. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/src/**/*.spec.ts', '<rootDir>/**/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Type checking is `npm run typecheck`; swc only strips types so the suite starts fast.
  testTimeout: 60_000,
  maxWorkers: 2,
};
