import { Writable } from 'node:stream';
import { createLogger, type Env, InProcessImportQueue } from '@cine/common';
import type { DbHandle } from '@cine/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildGateway } from '../src/app';
import { OWNER_COOKIE } from '../src/auth/owner-guard';
import { loadGatewayConfig } from '../src/config';
import { HttpRecommenderClient } from '../src/recommendations/recommender.repository';
import { handlersFor } from '@cine/etl-worker/testing/etl-harness';
import { ADMIN_KEY, CLOSED_URL, silentLog } from './gateway-harness';

/** A clock the tests move: sessions and lock-outs read it, nobody sleeps. */
export class TestClock {
  private at: number;
  constructor(start = '2026-12-07T10:00:00Z') {
    this.at = Date.parse(start);
  }
  readonly now = () => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface AuthGateway {
  app: FastifyInstance;
  clock: TestClock;
  /** Everything the gateway logged, at debug level. */
  logs(): string;
  close(): Promise<void>;
}

/**
 * The real gateway on a test database, answering through `inject` (the login's address is then
 * 127.0.0.1, or `remoteAddress`), with a movable clock and its log kept in memory.
 */
export async function startAuthGateway(handle: DbHandle, env: Env = {}): Promise<AuthGateway> {
  const config = loadGatewayConfig({
    RECOMMENDER_URL: CLOSED_URL,
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_MAX: '1000000',
    OWNER_LOGIN_RATE_LIMIT_MAX: '1000000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  let logged = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString('utf8');
      done();
    },
  });
  const clock = new TestClock();
  const queue = new InProcessImportQueue(handlersFor(handle), silentLog);
  const app = await buildGateway({
    config,
    handle,
    queue,
    recommender: new HttpRecommenderClient(config.recommender.url, config.recommender.timeoutMs),
    log: createLogger('gateway-auth-test', { level: 'debug', destination }),
    now: clock.now,
  });
  await app.ready();
  return {
    app,
    clock,
    logs: () => logged,
    async close() {
      await app.close();
      await queue.close();
    },
  };
}

/** The session token a login's answer set, or undefined. */
export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === OWNER_COOKIE)?.value;
}

export function login(app: FastifyInstance, email: string, password: string, remoteAddress?: string) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
}
