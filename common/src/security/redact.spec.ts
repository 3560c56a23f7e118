import { redact, redactDeep, redactError, redactText } from './redact';
import { splitUrlCredentials } from './url-credentials';

describe('redact (one URL)', () => {
  it('masks a password, a lone user-info and credential parameters, keeping the rest', () => {
    expect(redact('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redact('https://ghp_abc123@example.org/imdb/')).toBe('https://***@example.org/imdb/');
    expect(redact('https://cdn.example.org/f.gz?X-Amz-Signature=deadbeef&part=2&token=t0k')).toBe(
      'https://cdn.example.org/f.gz?X-Amz-Signature=***&part=2&token=***',
    );
    expect(redact('https://datasets.imdbws.com/')).toBe('https://datasets.imdbws.com/');
  });

  it('falls back to the text rule for what is not a URL', () => {
    expect(redact('/data/imdb')).toBe('/data/imdb');
  });
});

describe('redactText (URLs inside messages)', () => {
  it('masks the URL a library repeats in its own words', () => {
    const undici = 'Request cannot be constructed from a URL that includes credentials: http://user:s3cr3tpass@127.0.0.1:9/imdb/title.basics.tsv.gz';
    const out = redactText(undici);
    expect(out).not.toContain('s3cr3tpass');
    expect(out).toBe('Request cannot be constructed from a URL that includes credentials: http://user:***@127.0.0.1:9/imdb/title.basics.tsv.gz');
  });

  it('masks every URL of a message, and parameters with credential names only', () => {
    const out = redactText('a https://x:p1@h1/a?page=2&api_key=K1 then (ftp://tok@h2/b) and s3://h3/c?sig=abc');
    expect(out).toBe('a https://x:***@h1/a?page=2&api_key=*** then (ftp://***@h2/b) and s3://h3/c?sig=***');
  });

  it('leaves text without URLs alone', () => {
    expect(redactText('line 12: malformed tconst')).toBe('line 12: malformed tconst');
  });
});

describe('redactError / redactDeep', () => {
  it('masks an error message and its stack in place', () => {
    const err = new TypeError('fetch failed for https://u:pw@h/x');
    const out = redactError(err);
    expect(out.message).toBe('fetch failed for https://u:***@h/x');
    expect(out.stack).not.toContain(':pw@');
    expect(out).toBeInstanceOf(TypeError);
  });

  it('masks strings at any depth of plain values', () => {
    const out = redactDeep({ steps: [{ error: 'GET https://a:b@h/ failed', n: 3 }], ok: true });
    expect(out).toEqual({ steps: [{ error: 'GET https://a:***@h/ failed', n: 3 }], ok: true });
  });
});

describe('splitUrlCredentials', () => {
  it('moves user-info into a Basic Authorization header', () => {
    const { url, headers } = splitUrlCredentials('http://us%40er:s3cr3t%21@127.0.0.1:9/imdb/');
    expect(url).toBe('http://127.0.0.1:9/imdb/');
    expect(Buffer.from(headers.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe('us@er:s3cr3t!');
  });

  it('leaves a URL without credentials, or a path, alone', () => {
    expect(splitUrlCredentials('https://datasets.imdbws.com/')).toEqual({ url: 'https://datasets.imdbws.com/', headers: {} });
    expect(splitUrlCredentials('/data/imdb')).toEqual({ url: '/data/imdb', headers: {} });
  });
});
