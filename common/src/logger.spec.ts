import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('never writes a URL password, whether in the message, a field or an error', () => {
    const { lines, stream } = capture();
    const log = createLogger('t', { destination: stream });
    const secret = 'http://user:s3cr3tpass@127.0.0.1:9/imdb/';
    log.info({ source: secret, nested: { sources: [secret] } }, `importing ${secret}`);
    log.error({ err: new Error(`fetch failed: ${secret}title.basics.tsv.gz`) }, 'import failed');
    log.warn(`plain ${secret}`);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain('s3cr3tpass');
      expect(line).toContain('user:***@127.0.0.1:9');
    }
    const error = JSON.parse(lines[1]!) as { err: { message: string; stack: string } };
    expect(error.err.message).toBe('fetch failed: http://user:***@127.0.0.1:9/imdb/title.basics.tsv.gz');
    expect(error.err.stack).not.toContain('s3cr3tpass');
  });

  it("logs a request by what was asked, never by the client's address", async () => {
    const { lines, stream } = capture();
    const app = Fastify({ loggerInstance: createLogger('t', { destination: stream }) });
    app.get('/x', async () => ({ ok: true }));
    const res = await app.inject({ url: '/x?q=le+parrain', remoteAddress: '198.51.100.23' });
    await app.close();
    expect(res.statusCode).toBe(200);
    const incoming = lines.map((l) => JSON.parse(l) as { msg: string; req?: Record<string, unknown> }).find((l) => l.msg === 'incoming request');
    expect(incoming?.req).toEqual({ method: 'GET', url: '/x?q=le+parrain', host: 'localhost:80' });
    expect(lines.join('\n')).not.toContain('198.51.100.23');
  });
});
