/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import { runDigests } from '../../bench/digest-bench';
import { generateTastes, PlainScorer, pickProgramme, runMatching, storeCatalogue, syntheticCatalogue } from '../../bench/matching-bench';
import { startNullRecommender } from '../../bench/null-recommender';

/** bench:notify's matching half at a tiny size, so that it cannot rot; no timing is asserted. */
describe('bench:notify, matching, at a tiny size', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  const catalogue = syntheticCatalogue(2000, 64, 3);

  beforeAll(async () => {
    t = await createTestDatabase();
    await storeCatalogue(t.handle, catalogue);
    recommender = await startRecommender({ handle: t.handle, log: createLogger('bench-smoke', { level: 'silent' }), pollIntervalMs: 0 });
  });
  afterAll(async () => {
    await recommender?.close();
    await t?.drop();
  });

  it('draws the same tastes and programme for the same seed, 3 to 10 liked films each', () => {
    const tastes = generateTastes(catalogue, 50, 9);
    expect(generateTastes(catalogue, 50, 9)).toEqual(tastes);
    for (const taste of tastes) {
      expect(taste.liked.length).toBeGreaterThanOrEqual(3);
      expect(taste.liked.length).toBeLessThanOrEqual(10);
      expect(new Set(taste.liked).size).toBe(taste.liked.length);
    }
    expect(pickProgramme(catalogue, 12, 4)).toEqual(pickProgramme(catalogue, 12, 4));
    expect(new Set(pickProgramme(catalogue, 12, 4)).size).toBe(12);
  });

  it('the batch endpoint and the plain loop give the same scores and fit thresholds; the floor goes through a recommender that computes nothing', async () => {
    const floor = await startNullRecommender();
    const figures = await runMatching({ recommenderUrl: recommender.url, floorUrl: floor.url, catalogue, subscribers: 300, films: 12, seed: 5, fitSample: 40, fitLoopSample: 40, chunkSize: 70 });
    await new Promise((resolve) => floor.server.close(resolve));
    expect(figures).toMatchObject({ subscribers: 300, films: 12, catalogue: 2000 });
    expect(figures.floorMs).toBeGreaterThan(0);
    expect(figures.cpu.notifierMs).toBeGreaterThan(0);
    expect(figures.cpu.recommenderMs).toBeNull();
    // Every pair but a subscriber's liked films among the programme.
    const tastes = generateTastes(catalogue, 300, 5);
    const programme = new Set(pickProgramme(catalogue, 12, 6));
    const liked = tastes.reduce((n, taste) => n + taste.liked.filter((f) => programme.has(f)).length, 0);
    expect(figures.compared).toBe(300 * 12 - liked);
    // The endpoint rounds to 6 decimals.
    expect(figures.maxDiff).toBeLessThanOrEqual(1e-6);
    expect(figures.fit).toMatchObject({ batchTastes: 40, loopTastes: 40 });
    expect(figures.fit.maxDiff).toBeLessThanOrEqual(1e-6);
    for (const ms of [figures.batchMs, figures.loopMs, figures.fit.batchMs, figures.fit.loopMs]) expect(ms).toBeGreaterThan(0);
  });

  it("digests go through the notifier's path and the bare pool alike, each accepted by the local SMTP server", async () => {
    const outbox = await mkdtemp(join(tmpdir(), 'cine-bench-smoke-'));
    try {
      const figures = await runDigests({ handle: t.handle, digests: 30, outboxDir: outbox });
      expect(figures.accepted).toEqual({ notifier: 30, bare: 30 });
      expect(figures.digestBytes).toBeGreaterThan(1000);
      expect(figures.peakRssMb).toBeGreaterThan(0);
      // Through SMTP, not into the outbox folder.
      expect(await readdir(outbox)).toEqual([]);
    } finally {
      await rm(outbox, { recursive: true, force: true });
    }
  });

  it("the plain loop's fit threshold is the 100th best film of the catalogue, liked films left out", () => {
    const plain = new PlainScorer(catalogue);
    const [taste] = generateTastes(catalogue, 1, 11);
    const all = plain.scores([taste!], catalogue.items.map((i) => i.tconst));
    const sorted = [...all].filter((x) => !Number.isNaN(x)).sort((a, b) => b - a);
    expect(plain.fitScore(taste!)).toBe(sorted[99]);
  });
});
