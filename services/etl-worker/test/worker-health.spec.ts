import { createTestDatabase } from '@cine/db/testing';
import { WorkerHealthRepository } from '../src/http/worker-health.repository';

describe("WorkerHealthRepository (the worker's readiness check of the database)", () => {
  it('answers while the database does, and fails once it cannot reach it', async () => {
    const t = await createTestDatabase({ migrate: false });
    const health = new WorkerHealthRepository(t.handle);
    try {
      await expect(health.ping()).resolves.toBeUndefined();
    } finally {
      await t.drop();
    }
    await expect(health.ping()).rejects.toThrow();
  });
});
