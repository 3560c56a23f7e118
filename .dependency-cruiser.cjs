/**
 * The architecture's import rules, checked in `npm test` (infra/test/boundaries.spec.ts) and by
 * `npx depcruise --config .dependency-cruiser.cjs common db services gateway analysis infra`.
 * docs/architecture.md draws them. Workspace packages are resolved through node_modules/@cine/*
 * (preserveSymlinks), so an import by package name and a relative path into another package are
 * told apart.
 */
const PACKAGES = '(common|db|gateway|analysis|services/[^/]+|infra/standalone)';
const SERVICES = ['gateway', 'etl-worker', 'recommender', 'notifier'];
const SERVICE_DIR = { gateway: 'gateway', 'etl-worker': 'services/etl-worker', recommender: 'services/recommender', notifier: 'services/notifier' };

/** A service's code imports no other service: they meet through Postgres, the job queues and HTTP. */
const serviceRules = SERVICES.map((service) => ({
  name: `${service}-imports-no-other-service`,
  severity: 'error',
  comment: `${service} meets the other services through tables, jobs and HTTP; only infra/standalone wires them together`,
  from: { path: `^${SERVICE_DIR[service]}/src/` },
  to: { path: `^node_modules/@cine/(${SERVICES.filter((s) => s !== service).join('|')}|standalone)/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-reaching-into-another-package',
      severity: 'error',
      comment: 'another package is imported by its name and its exports map (`@cine/db/testing`), never by a path into its folders',
      from: { path: `^${PACKAGES}/` },
      to: { path: `^${PACKAGES}/`, pathNot: '^$1/' },
    },
    {
      name: 'infra-tests-through-package-names',
      severity: 'error',
      comment: 'the infra tests and benches import the packages by name too',
      from: { path: '^infra/(test|bench)/' },
      to: { path: `^${PACKAGES}/` },
    },
    ...serviceRules,
    {
      name: 'shared-packages-import-no-service',
      severity: 'error',
      comment: 'common and db are below every service',
      from: { path: '^(common|db)/src/' },
      to: { path: '^node_modules/@cine/(gateway|etl-worker|recommender|notifier|analysis|standalone)/' },
    },
    {
      name: 'common-imports-no-package',
      severity: 'error',
      comment: 'common is the bottom of the graph',
      from: { path: '^common/' },
      to: { path: '^node_modules/@cine/' },
    },
    {
      name: 'migrations-import-no-code',
      severity: 'error',
      comment: 'a migration is frozen history: it imports kysely only, never app code or another migration',
      from: { path: '^db/src/migrations/', pathNot: '^db/src/migrations/index\\.ts$' },
      to: { pathNot: '^node_modules/kysely/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no cycle between files',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(web/)?dist/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['cjs', 'es6'],
  },
};
