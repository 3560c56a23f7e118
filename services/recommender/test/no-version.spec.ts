import type { ErrorBody } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type RunningRecommender, startRecommender } from '../src';
import { batch, post, ready, silentLog } from './recommender-harness';

describe('recommender without any embedding version', () => {
  let t: TestDatabase;
  let svc: RunningRecommender;

  beforeAll(async () => {
    t = await createTestDatabase();
    svc = await startRecommender({ handle: t.handle, log: silentLog, pollIntervalMs: 0 });
  });

  afterAll(async () => {
    await svc?.close();
    await t?.drop();
  });

  it('answers 503 with a message and is not ready, while live', async () => {
    const res = await post<ErrorBody>(svc.url, { liked: ['tt0068646'] });
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/no embedding version/);
    const health = await ready(svc.url);
    expect(health.status).toBe(503);
    expect(health.body.checks.db!.ok).toBe(true);
    expect(health.body.checks.embeddings).toMatchObject({ ok: false, detail: 'no embedding version built yet' });
    expect((await fetch(`${svc.url}/health/live`)).status).toBe(200);
  });

  it('answers the batch route 503 with the reason', async () => {
    const res = await batch<ErrorBody>(svc.url, { tastes: [{ id: 'a', liked: ['tt0068646'] }], candidates: ['tt0076759'] });
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/no embedding version/);
  });
});
