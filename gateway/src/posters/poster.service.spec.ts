import type { KeptPoster, PosterDiskCache } from './poster-cache.repository';
import type { PosterRepository } from './poster.repository';
import { PosterService } from './poster.service';
import type { TmdbImageRepository, UpstreamImage } from './tmdb-image.repository';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const BASE = 'http://tmdb.test/t/p';

/** The service over in-memory stand-ins of its three repositories. */
function serviceWith(opts: { paths?: Record<string, string | null>; db?: () => Promise<string | null>; upstream?: (url: string) => Promise<UpstreamImage>; failWrites?: boolean }) {
  const disk = new Map<string, KeptPoster>();
  const fetched: string[] = [];
  let lookups = 0;
  const films = {
    posterPath: async (tconst: string) => {
      lookups += 1;
      return opts.db ? opts.db() : (opts.paths?.[tconst] ?? null);
    },
  } as unknown as PosterRepository;
  const cache = {
    read: async (size: string, tconst: string) => disk.get(`${size}/${tconst}`) ?? null,
    write: async (size: string, tconst: string, bytes: Buffer, posterPath: string) => {
      if (opts.failWrites) throw new Error('ENOSPC');
      disk.set(`${size}/${tconst}`, { bytes, posterPath });
    },
  } as unknown as PosterDiskCache;
  const upstream = {
    fetch: async (url: string) => {
      fetched.push(url);
      return (opts.upstream ?? (async () => ({ ok: true, bytes: JPEG, contentType: 'image/jpeg' })))(url);
    },
  } as unknown as TmdbImageRepository;
  return { service: new PosterService(films, cache, upstream, BASE), disk, fetched, lookups: () => lookups };
}

describe('PosterService', () => {
  it('fetches a poster at its size from the base URL, keeps it, then serves it from the cache', async () => {
    const { service, disk, fetched } = serviceWith({ paths: { tt0000001: '/a.jpg' } });
    expect(await service.poster('w342', 'tt0000001')).toEqual({ kind: 'image', bytes: JPEG });
    expect(await service.poster('w342', 'tt0000001')).toEqual({ kind: 'image', bytes: JPEG });
    expect(fetched).toEqual([`${BASE}/w342/a.jpg`]);
    expect([...disk.keys()]).toEqual(['w342/tt0000001']);
    expect(disk.get('w342/tt0000001')!.posterPath).toBe('/a.jpg');
  });

  it('a URL naming the kept version is served from the disk alone; a changed poster path is fetched again', async () => {
    const paths: Record<string, string | null> = { tt0000001: '/a.jpg' };
    const { service, disk, fetched, lookups } = serviceWith({ paths });
    await service.poster('w342', 'tt0000001', 'a');
    const before = lookups();
    expect(await service.poster('w342', 'tt0000001', 'a')).toEqual({ kind: 'image', bytes: JPEG });
    expect(lookups()).toBe(before);
    // TMDB changed the poster: the new URL (and the old one, and none) get the new image.
    paths.tt0000001 = '/b.jpg';
    for (const v of ['b', 'a', undefined]) expect(await service.poster('w342', 'tt0000001', v)).toMatchObject({ kind: 'image' });
    expect(fetched).toEqual([`${BASE}/w342/a.jpg`, `${BASE}/w342/b.jpg`]);
    expect(disk.get('w342/tt0000001')!.posterPath).toBe('/b.jpg');
    // A file kept before sources were recorded is checked once against the database.
    disk.set('w342/tt0000001', { bytes: JPEG, posterPath: null });
    await service.poster('w342', 'tt0000001', 'b');
    expect(fetched).toHaveLength(3);
  });

  it('the database away: the poster kept is sent, with a warning', async () => {
    const { service, disk } = serviceWith({ db: async () => Promise.reject(new Error('connection refused')) });
    disk.set('w342/tt0000001', { bytes: JPEG, posterPath: '/a.jpg' });
    expect(await service.poster('w342', 'tt0000001', 'b')).toMatchObject({ kind: 'image', bytes: JPEG, warning: expect.stringMatching(/database/) });
  });

  it('shares one lookup and one fetch between concurrent requests for the same poster, not between sizes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { service, fetched } = serviceWith({
      paths: { tt0000001: '/a.jpg' },
      upstream: async () => {
        await gate;
        return { ok: true, bytes: JPEG, contentType: 'image/jpeg' };
      },
    });
    const answers = Promise.all([...Array.from({ length: 5 }, () => service.poster('w185', 'tt0000001')), service.poster('w500', 'tt0000001')]);
    release();
    expect((await answers).every((a) => a.kind === 'image')).toBe(true);
    expect(fetched.sort()).toEqual([`${BASE}/w185/a.jpg`, `${BASE}/w500/a.jpg`]);
  });

  it('answers "none" without asking TMDB when there is no poster path, or one it would not ask for', async () => {
    const { service, fetched } = serviceWith({ paths: { tt0000001: null, tt0000002: '/../../x.jpg' } });
    expect(await service.poster('w342', 'tt0000001')).toMatchObject({ kind: 'placeholder', reason: 'none' });
    expect(await service.poster('w342', 'tt0000002')).toMatchObject({ kind: 'placeholder', reason: 'none' });
    expect(await service.poster('w342', 'tt9999999')).toMatchObject({ kind: 'placeholder', reason: 'none' });
    expect(fetched).toEqual([]);
  });

  it('answers "unavailable" when the database fails, TMDB fails, or what comes back is not a JPEG; keeps nothing', async () => {
    const db = serviceWith({ db: async () => Promise.reject(new Error('connection refused')) });
    expect(await db.service.poster('w342', 'tt0000001')).toMatchObject({ kind: 'placeholder', reason: 'unavailable' });
    for (const got of [
      { ok: false, reason: 'upstream answered 500' },
      { ok: true, bytes: Buffer.from('<html>'), contentType: 'image/jpeg' },
      { ok: true, bytes: JPEG, contentType: 'text/html' },
    ] as UpstreamImage[]) {
      const { service, disk } = serviceWith({ paths: { tt0000001: '/a.jpg' }, upstream: async () => got });
      expect(await service.poster('w342', 'tt0000001')).toMatchObject({ kind: 'placeholder', reason: 'unavailable' });
      expect(disk.size).toBe(0);
    }
  });

  it('still serves a poster the disk refused to keep, and says so', async () => {
    const { service } = serviceWith({ paths: { tt0000001: '/a.jpg' }, failWrites: true });
    expect(await service.poster('w342', 'tt0000001')).toEqual({ kind: 'image', bytes: JPEG, warning: 'not kept on disk: ENOSPC' });
  });
});
