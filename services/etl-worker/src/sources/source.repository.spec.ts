import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceRepository } from './source.repository';

/** A local server that sends `pieces` of a body with `gapMs` between them (a slow mirror). */
async function slowServer(pieces: string[], gapMs: (index: number) => number): Promise<{ url: string; server: Server }> {
  const server = createServer(async (_req, res) => {
    res.setHeader('content-length', Buffer.byteLength(pieces.join('')));
    res.flushHeaders();
    for (const [i, piece] of pieces.entries()) {
      // Unref'd: a gap still running when the suite closes the server must not hold the process.
      await sleep(gapMs(i), undefined, { ref: false });
      if (res.destroyed) return;
      res.write(piece);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.tsv`, server };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe('SourceRepository over HTTP', () => {
  const servers: Server[] = [];
  afterAll(() =>
    Promise.all(
      servers.map((s) => {
        s.closeAllConnections();
        return new Promise((r) => s.close(r));
      }),
    ),
  );

  it('keeps a download that takes longer than the timeout as long as it makes progress', async () => {
    const pieces = Array.from({ length: 8 }, (_, i) => `row ${i}\n`);
    const { url, server } = await slowServer(pieces, () => 120);
    servers.push(server);
    const sources = new SourceRepository({ attempts: 1, retryDelayMs: 10, connectTimeoutMs: 400 });
    const opened = await sources.openFile(url);
    // 8 × 120 ms ≈ 1 s in all: more than twice the 400 ms timeout.
    expect(await readAll(opened.stream)).toBe(pieces.join(''));
  });

  it('aborts a download that stalls, with a message saying so', async () => {
    const { url, server } = await slowServer(['first\n', 'never\n'], (i) => (i === 0 ? 0 : 5_000));
    servers.push(server);
    const sources = new SourceRepository({ attempts: 1, retryDelayMs: 10, connectTimeoutMs: 300 });
    const opened = await sources.openFile(url);
    await expect(readAll(opened.stream)).rejects.toThrow(/stalled for 300 ms/);
  });
});
