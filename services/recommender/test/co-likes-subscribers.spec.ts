import { Writable } from 'node:stream';
import { CONSENT_WORDING_VERSION, createLogger, LEARNING_CONSENT_WORDING_VERSION } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { TasteStoreRepository } from '@cine/db';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { SUBSCRIBER_FILMS } from '../src/recommend/co-likes';
import { LEARNING_CONSENT_VERSIONS, SubscriberLikesRepository } from '../src/recommend/co-likes-subscribers.repository';
import { CoLikeHolder } from '../src/serving/co-like-holder';
import type { LoadedVersion } from '../src/serving/loaded-version';

/**
 * The collaborative block's second source (docs/recommender.md §8): the confirmed, unpaused
 * subscribers' liked lists, read from the notifier's `subscriber` table (real PostgreSQL, real
 * migrations) each time the block is loaded. Each subscriber is one visit. Only a subscriber whose
 * latest 'learning' consent (the optional second box) is given counts; the rows are written as the
 * notifier writes them (the emails' consent first, the learning one when ticked).
 */
const LEARNING = LEARNING_CONSENT_WORDING_VERSION;
const films = Array.from({ length: 30 }, (_, i) => `tt${String(1_000_001 + i).padStart(7, '0')}`);
const [A, B, C, D] = films as [string, string, string, string];
/** A version is only its rows here: the block reads nothing else of it. */
const version = { id: 1, rowOf: new Map(films.map((t, i) => [t, i])), items: films.map((tconst) => ({ tconst })) } as unknown as LoadedVersion;
const row = (t: string) => version.rowOf.get(t)!;

describe('recommender: confirmed subscribers teach the collaborative block', () => {
  let t: TestDatabase;
  let store: TasteStoreRepository;
  let holder: CoLikeHolder;
  const logged: string[] = [];

  const subscribe = async (email: string, liked: string[], opts: { active?: boolean; paused?: boolean; learning?: string | false } = {}): Promise<string> => {
    const id = randomUUID();
    const active = opts.active ?? true;
    await sql`
      INSERT INTO subscriber (id, email, email_hash, status, liked, preferences, confirmed_at)
      VALUES (${id}, ${email}, ${createHash('sha256').update(email).digest()}, ${active ? 'active' : 'pending'}, ${liked}::text[],
              CAST(${JSON.stringify({ alerts: true, digest: true, paused: opts.paused ?? false })} AS text)::jsonb, ${active ? new Date() : null})`.execute(t.handle.db);
    await consent(id, 'given', CONSENT_WORDING_VERSION, 'emails');
    const learning = opts.learning ?? LEARNING;
    if (learning !== false) await consent(id, 'given', learning, 'learning');
    return id;
  };
  /** A row as the notifier records it; `at` one second after the subscriber's previous one, so the order is sure. */
  const consent = async (id: string, action: 'given' | 'withdrawn', wording: string, purpose: 'emails' | 'learning', source = 'page') => {
    await sql`
      INSERT INTO consent_record (subscriber_id, action, purpose, wording_version, wording_sha256, source, at)
      VALUES (${id}, ${action}, ${purpose}, ${wording}, ${createHash('sha256').update(wording).digest('hex')}, ${source},
              coalesce((SELECT max(at) FROM consent_record WHERE subscriber_id = ${id}) + interval '1 second', now()))`.execute(t.handle.db);
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    store = new TasteStoreRepository(t.handle);
    const log = createLogger('co-likes-subscribers-test', {
      level: 'debug',
      destination: new Writable({
        write(chunk, _enc, done) {
          logged.push(String(chunk));
          done();
        },
      }),
    });
    // The repository as the recommender builds it: its own list of learning wordings.
    holder = new CoLikeHolder(store, log, () => null, new SubscriberLikesRepository(t.handle));
  }, deadline(60_000));
  afterAll(async () => {
    holder?.close();
    await t?.drop();
  });
  beforeEach(async () => {
    await sql`DELETE FROM subscriber`.execute(t.handle.db);
    await store.wipe();
  });

  it("adds a confirmed subscriber's list as one visit: its films and pairs, on top of the store's counts", async () => {
    await store.add({ likes: [A, B], dislikes: [], pairs: [[A, B]] });
    await subscribe('une.abonnee@example.fr', [A, B, C]);
    await holder.refresh();
    const model = holder.model(version);
    expect(model.likedWith(row(A), row(B))).toBe(2);
    expect(model.likedWith(row(B), row(C))).toBe(1);
    expect(model.likedWith(row(A), row(C))).toBe(1);
    expect(model.evidence(row(A))).toBe(2);
    expect(model.evidence(row(C))).toBe(1);
    expect(model.pairs).toBe(3);
    // The store itself is untouched: the lists are counted in memory only.
    expect((await store.read()).pairs).toEqual([{ filmA: A, filmB: B, coLikes: 1 }]);
  });

  it('counts only the last 20 films of a list', async () => {
    await subscribe('cinephile@example.fr', films);
    await holder.refresh();
    const model = holder.model(version);
    const counted = films.slice(-SUBSCRIBER_FILMS);
    expect(model.evidence(row(films[0]!))).toBe(0);
    expect(counted.every((f) => model.evidence(row(f)) === 1)).toBe(true);
    expect(model.pairs).toBe((SUBSCRIBER_FILMS * (SUBSCRIBER_FILMS - 1)) / 2);
  });

  it('a pending or a paused subscriber adds nothing', async () => {
    await subscribe('pas.encore@example.fr', [A, B, C], { active: false });
    await subscribe('en.pause@example.fr', [A, D], { paused: true });
    await holder.refresh();
    const model = holder.model(version);
    expect(model.empty).toBe(true);
    expect([A, B, C, D].map((f) => model.evidence(row(f)))).toEqual([0, 0, 0, 0]);
  });

  it('counts the subscriber who ticked the learning box, still after the confirmation records the emails’ consent again', async () => {
    expect(LEARNING_CONSENT_VERSIONS).toEqual(['2026-12-learn-v1']);
    const id = await subscribe('apprend@example.fr', [A, B]);
    // The confirmation (from the email's link) is the latest row, and it is the emails': the learning consent stands.
    await consent(id, 'given', CONSENT_WORDING_VERSION, 'emails', 'email-link');
    await holder.refresh();
    expect(holder.model(version).likedWith(row(A), row(B))).toBe(1);
  });

  it('the emails-only consent adds nothing, nor a learning wording not named, nor one withdrawn from the manage page (at the next load)', async () => {
    await subscribe('courriels.seuls@example.fr', [A, B], { learning: false });
    await subscribe('ancien.texte@example.fr', [A, C], { learning: 'test-unnamed' });
    const changesMind = await subscribe('change.avis@example.fr', [C, D]);
    await holder.refresh();
    let model = holder.model(version);
    expect(model.likedWith(row(C), row(D))).toBe(1);
    expect([model.likedWith(row(A), row(B)), model.likedWith(row(A), row(C))]).toEqual([0, 0]);

    // Unticked on the manage page: the notifier records the withdrawal; the next load no longer counts the list.
    await consent(changesMind, 'withdrawn', LEARNING, 'learning', 'email-link');
    await holder.refresh();
    model = holder.model(version);
    expect(model.empty).toBe(true);
    expect([A, B, C, D].map((f) => model.evidence(row(f)))).toEqual([0, 0, 0, 0]);
    // An empty list of wordings reads no one.
    expect(await new SubscriberLikesRepository(t.handle, []).likedLists()).toEqual([]);
  });

  it('an erased subscriber is gone at the next load', async () => {
    const id = await subscribe('a.effacer@example.fr', [C, D]);
    await subscribe('reste@example.fr', [A, B]);
    await holder.refresh();
    expect(holder.model(version).likedWith(row(C), row(D))).toBe(1);
    await sql`DELETE FROM subscriber WHERE id = ${id}`.execute(t.handle.db);
    await holder.refresh();
    const model = holder.model(version);
    expect(model.likedWith(row(C), row(D))).toBe(0);
    expect(model.evidence(row(C))).toBe(0);
    expect(model.likedWith(row(A), row(B))).toBe(1);
  });

  it('never logs a list or an address, even when the table cannot be read', async () => {
    await subscribe('discrete@example.fr', [A, B]);
    await holder.refresh();
    // The table gone (as on a database the notifier's migration never reached): the store alone.
    await store.add({ likes: [C, D], dislikes: [], pairs: [[C, D]] });
    const broken = new CoLikeHolder(store, createLogger('x', { level: 'debug', destination: new Writable({ write: (c, _e, d) => (logged.push(String(c)), d()) }) }), () => null, {
      likedLists: () => Promise.reject(new Error('relation "subscriber" does not exist')),
    });
    await broken.refresh();
    expect(broken.model(version).likedWith(row(C), row(D))).toBe(1);
    expect(broken.model(version).likedWith(row(A), row(B))).toBe(0);
    expect(logged.join('\n')).toMatch(/subscribers unreadable/);
    for (const secret of ['discrete@example.fr', A, B]) expect(logged.join('\n')).not.toContain(secret);
  });
});
