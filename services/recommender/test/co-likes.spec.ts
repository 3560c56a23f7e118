/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { deadline } from '@cine/common/testing';
import { TasteStoreRepository } from '@cine/db';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { sql } from 'kysely';
import { type RunningRecommender, startRecommender } from '../src';
import { post, silentLog } from './recommender-harness';

const GODFATHER = 'tt0068646';
const PULP_FICTION = 'tt0110912';
const URL = (svc: RunningRecommender) => svc.url;

/**
 * The collaborative block on the sample catalogue, fed by the taste store: an empty store ranks
 * exactly as content alone; a film the store says is often liked with the basket rises, with a
 * reason that names the liked film and the store's count.
 */
describeWithSamples('recommender: the collaborative block learned from the taste store', () => {
  let t: TestDatabase;
  let warm: RunningRecommender;
  let cold: RunningRecommender;
  let store: TasteStoreRepository;
  let partner: { tconst: string; title: string };

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    store = new TasteStoreRepository(t.handle);
    warm = await startRecommender({ handle: t.handle, log: silentLog, pollIntervalMs: 0 });
    cold = await startRecommender({ handle: t.handle, log: silentLog, pollIntervalMs: 0, coLikes: { gamma: 0 } });
    // A well-known film far from The Godfather in content: the store alone can bring it.
    const { rows } = await sql<{ tconst: string; primary_title: string }>`
      SELECT tconst, primary_title FROM title WHERE title_type = 'movie' AND NOT is_adult AND 'Animation' = ANY(genres) AND num_votes > 0
      ORDER BY num_votes DESC, tconst LIMIT 1`.execute(t.handle.db);
    partner = { tconst: rows[0]!.tconst, title: rows[0]!.primary_title };
  }, deadline(180_000));
  afterAll(async () => {
    await warm?.close();
    await cold?.close();
    await t?.drop();
  });

  it('an empty store ranks exactly as content alone (films, scores, order, reasons)', async () => {
    await store.wipe();
    await warm.coLikes.refresh();
    for (const liked of [[GODFATHER], [GODFATHER, PULP_FICTION]]) {
      const [a, b] = await Promise.all([post(URL(warm), { liked, k: 10 }), post(URL(cold), { liked, k: 10 })]);
      expect(a.status).toBe(200);
      expect(a.body).toEqual(b.body);
    }
  });

  it('a film often liked with the basket rises, and its reason names the liked film and the count the store holds', async () => {
    await store.wipe();
    const before = await post(URL(cold), { liked: [GODFATHER], k: 10 });
    expect(before.body.items.map((i) => i.tconst)).not.toContain(partner.tconst);
    // 30 visits liked both; the partner's own evidence is theirs.
    for (let i = 0; i < 30; i++) await store.add({ likes: [GODFATHER, partner.tconst], dislikes: [], pairs: [[GODFATHER, partner.tconst].sort() as [string, string]] });
    await warm.coLikes.refresh();
    const after = await post(URL(warm), { liked: [GODFATHER], k: 10 });
    expect(after.status).toBe(200);
    const item = after.body.items.find((i) => i.tconst === partner.tconst);
    expect(item).toBeDefined();
    const [a, b] = [GODFATHER, partner.tconst].sort();
    const stored = await t.handle.db.selectFrom('taste_pair').select('co_likes').where('film_a', '=', a!).where('film_b', '=', b!).executeTakeFirstOrThrow();
    expect(stored.co_likes).toBe(30);
    expect(item!.reasons[0]).toEqual({ kind: 'colike', values: [expect.any(String), '30'], because: [GODFATHER] });
    expect(item!.reason.fr).toMatch(/^Souvent aimé avec : .+ \(30 visiteurs\)/);
    // The other films keep their content reasons: only what the store carried says so.
    for (const other of after.body.items.filter((i) => i.tconst !== partner.tconst)) expect(other.reasons.map((r) => r.kind)).not.toContain('colike');
    await store.wipe();
  });

  it('a poll that reads the same counts keeps the model built; one more visit builds it again', async () => {
    await store.wipe();
    await store.add({ likes: [GODFATHER, partner.tconst], dislikes: [], pairs: [[GODFATHER, partner.tconst].sort() as [string, string]] });
    await warm.coLikes.refresh();
    const version = warm.holder.version!;
    const built = warm.coLikes.model(version);
    await warm.coLikes.refresh();
    expect(warm.coLikes.model(version)).toBe(built);
    await store.add({ likes: [GODFATHER, partner.tconst], dislikes: [], pairs: [[GODFATHER, partner.tconst].sort() as [string, string]] });
    await warm.coLikes.refresh();
    expect(warm.coLikes.model(version)).not.toBe(built);
    await store.wipe();
  });
});
