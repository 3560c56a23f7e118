import type { ResolvedEntry } from '@cine/common';
import { createLogger } from '@cine/common';
import { TasteLearningService } from './taste-learning.service';
import { type Contribution, type TasteStoreRepository, VisitLedger } from '@cine/db';

const silent = createLogger('taste-test', { level: 'silent' });
const VISIT = '0b7e3f2a-1c4d-4e5f-8a9b-0c1d2e3f4a5b';
const entry = (tconst: string | null): ResolvedEntry => ({ input: tconst ?? '?', status: tconst ? 'resolved' : 'not_found', tconst, title: null, year: null });

/** A store that records what it is given, and fails the calls it is told to. */
class RecordingStore {
  added: Contribution[] = [];
  failNext = 0;
  async add(c: Contribution): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('connection lost');
    }
    this.added.push(c);
  }
  async wipe() {
    return { films: 0, pairs: 0 };
  }
}

describe('TasteLearningService', () => {
  const setup = (on = true) => {
    const store = new RecordingStore();
    const service = new TasteLearningService(store as unknown as TasteStoreRepository, on ? new VisitLedger() : null, silent);
    return { store, service };
  };

  it('learns from two liked films or more, resolved ones only, and never counts a film both liked and disliked', async () => {
    const { store, service } = setup();
    await service.learn({ visitId: VISIT, address: '192.0.2.1' }, { liked: [entry('tt0000001'), entry(null)], disliked: [] });
    expect(store.added).toEqual([]);
    await service.learn({ visitId: VISIT, address: '192.0.2.1' }, { liked: [entry('tt0000001'), entry(null), entry('tt0000002')], disliked: [entry('tt0000002'), entry('tt0000003')] });
    expect(store.added).toEqual([{ likes: ['tt0000001', 'tt0000002'], dislikes: ['tt0000003'], pairs: [['tt0000001', 'tt0000002']] }]);
  });

  it('never fails the request when the store does, and gives the films back to the visit so a later request counts them', async () => {
    const { store, service } = setup();
    store.failNext = 1;
    const basket = { liked: [entry('tt0000001'), entry('tt0000002')], disliked: [] };
    await expect(service.learn({ visitId: VISIT, address: '192.0.2.1' }, basket)).resolves.toBeUndefined();
    expect(store.added).toEqual([]);
    await service.learn({ visitId: VISIT, address: '192.0.2.1' }, basket);
    expect(store.added).toHaveLength(1);
  });

  it('switched off, remembers nothing', async () => {
    const { store, service } = setup(false);
    expect(service.enabled).toBe(false);
    await service.learn({ visitId: VISIT, address: '192.0.2.1' }, { liked: [entry('tt0000001'), entry('tt0000002')], disliked: [] });
    expect(store.added).toEqual([]);
  });
});
