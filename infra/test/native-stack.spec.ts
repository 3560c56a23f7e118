import { COMPOSE_FILE, ENV_EXAMPLE, loadCompose, readEnvFile, serviceEnv } from './compose-file';
import { freePorts, nativeEnv, type NativeTargets } from './native-stack';

/**
 * The ports of the native stack come from the compose file itself: the soak once stopped at
 * start because the worker had gained a PORT the soak did not know about.
 */
describe('native stack ports', () => {
  const compose = loadCompose([COMPOSE_FILE], {
    ...readEnvFile(ENV_EXAMPLE),
    POSTGRES_PASSWORD: 'unused',
    ADMIN_API_KEY: 'unused-unused-unused',
    GRAFANA_ADMIN_PASSWORD: 'unused',
    KPI_DB_PASSWORD: 'unused',
  });
  const runnable = Object.entries(compose.services).filter(([, s]) => s.command?.[0] === 'node').map(([name]) => name);

  it('freePorts chooses a distinct free port for every port of every service, and each service gets its own', async () => {
    const targets: NativeTargets = { databaseUrl: 'postgres://127.0.0.1/x', redisUrl: 'redis://127.0.0.1:6379', ports: await freePorts(compose), queuePrefix: 'p' };
    const chosen = Object.values(targets.ports);
    expect(new Set(chosen).size).toBe(chosen.length);
    expect(runnable).toEqual(expect.arrayContaining(['migrate', 'etl-worker', 'recommender', 'gateway']));
    for (const name of runnable) {
      const own = serviceEnv(compose.services[name]!);
      const env = nativeEnv(compose, name, targets);
      for (const variable of Object.keys(own).filter((v) => /^([A-Z0-9_]+_)?PORT$/.test(v))) {
        // Not compose's fixed port (8082, 9464…), which two stacks on one machine would both take.
        expect({ name, variable, port: chosen.includes(Number(env[variable])) }).toEqual({ name, variable, port: true });
      }
    }
    expect(nativeEnv(compose, 'etl-worker', targets).PORT).toBe(String(targets.ports['etl-worker']));
    expect(nativeEnv(compose, 'gateway', targets).METRICS_PORT).toBe(String(targets.ports['gateway:metrics']));
    // Another service's URL points at the port chosen for it.
    expect(nativeEnv(compose, 'gateway', targets).RECOMMENDER_URL).toBe(`http://127.0.0.1:${targets.ports.recommender}`);
  });

  it('a service without a chosen port is an error naming it, not a silent 8080', () => {
    const targets: NativeTargets = { databaseUrl: 'postgres://127.0.0.1/x', redisUrl: 'redis://127.0.0.1:6379', ports: { gateway: 1 }, queuePrefix: 'p' };
    expect(() => nativeEnv(compose, 'etl-worker', targets)).toThrow('no native port chosen for etl-worker');
  });
});
