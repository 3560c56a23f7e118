import { posterUrls } from '../films/film.service';
import { etagOf, isJpeg, isJpegContentType, matchesEtag, posterVersion, upstreamPosterUrl } from './poster-image';

describe('poster images', () => {
  it('builds the upstream URL from the base, the size and the poster path', () => {
    expect(upstreamPosterUrl('https://image.tmdb.org/t/p', 'w342', '/abc_D-1.jpg')).toBe('https://image.tmdb.org/t/p/w342/abc_D-1.jpg');
    expect(upstreamPosterUrl('http://127.0.0.1:9/t/p/', 'w185', 'abc.jpg')).toBe('http://127.0.0.1:9/t/p/w185/abc.jpg');
  });

  it.each(['/../etc/passwd', '/a/b.jpg', '//evil.example/x.jpg', '/x.png', '/x.jpg?y=1', '', '/.jpg'])('refuses the poster path %j', (path) => {
    expect(upstreamPosterUrl('https://image.tmdb.org/t/p', 'w342', path)).toBeNull();
  });

  it('tells a JPEG by its first bytes and its content type', () => {
    expect(isJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe(true);
    expect(isJpeg(Buffer.from('<html>'))).toBe(false);
    expect(isJpeg(Buffer.from([0xff, 0xd8]))).toBe(false);
    expect(isJpegContentType('image/jpeg')).toBe(true);
    expect(isJpegContentType('Image/JPEG; charset=binary')).toBe(true);
    expect(isJpegContentType('text/html')).toBe(false);
    expect(isJpegContentType(null)).toBe(false);
  });

  it('matches If-None-Match against the ETag of the bytes', () => {
    const etag = etagOf(Buffer.from('poster'));
    expect(etag).toBe(etagOf(Buffer.from('poster')));
    expect(etag).not.toBe(etagOf(Buffer.from('other')));
    expect(matchesEtag(etag, etag)).toBe(true);
    expect(matchesEtag(`"x", W/${etag}`, etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag('"x"', etag)).toBe(false);
    expect(matchesEtag(undefined, etag)).toBe(false);
  });
});

describe('poster versions', () => {
  it('the version is the TMDB file name without its extension, URL-safe', () => {
    expect(posterVersion('/kqjL17yufvn9OVLyXYpvtyrFfak.jpg')).toBe('kqjL17yufvn9OVLyXYpvtyrFfak');
    expect(posterVersion('/a.b.jpg')).toBe('ab');
    expect(posterVersion('/noext')).toBe('noext');
    expect(posterVersion('/é x&y.jpg')).toBe('xy');
  });

  it("film answers link the gateway's route with the version: a new TMDB poster is a new URL", () => {
    expect(posterUrls('tt0068646', '/3bhkrj58Vtu7enYsRolD1fZdja1.jpg')).toEqual({
      w185: '/posters/w185/tt0068646.jpg?v=3bhkrj58Vtu7enYsRolD1fZdja1',
      w342: '/posters/w342/tt0068646.jpg?v=3bhkrj58Vtu7enYsRolD1fZdja1',
      w500: '/posters/w500/tt0068646.jpg?v=3bhkrj58Vtu7enYsRolD1fZdja1',
    });
    expect(posterUrls('tt0068646', '/other.jpg')!.w342).not.toBe(posterUrls('tt0068646', '/3bhkrj58Vtu7enYsRolD1fZdja1.jpg')!.w342);
    expect(posterUrls('tt0068646', null)).toBeNull();
  });
});
