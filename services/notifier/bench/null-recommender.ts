/**
 * bench:notify's floor for the matching: a stand-in for the recommender that answers
 * `POST /v1/recommendations/batch/scores` with zeros of the right shape and computes nothing. The
 * notifier's HttpBatchScorer against it does everything the real call does but the recommender's
 * work — the tastes encoded, carried, the answer's bytes carried back, decoded and assembled — so
 * its time is what the batch path costs before a single profile or product. The bench runs it as
 * its own process, as the recommender is (null-recommender.main.ts); the bench's spec in its own.
 */
import { createServer, type Server } from 'node:http';
import { BATCH_SCORES_BINARY, decodeBatchTastes, encodeBatchScores } from '@cine/common';

/** Listening on 127.0.0.1, a free port. */
export async function startNullRecommender(): Promise<{ server: Server; url: string }> {
  // One answer per shape, built once as the recommender builds each (a header, then the scores).
  const answers = new Map<string, Buffer>();
  const answerFor = (tastes: number, films: string[]): Buffer => {
    const key = `${tastes} ${films.join()}`;
    let body = answers.get(key);
    if (!body) {
      const header = { version: 1, films, unknown: [], tastes, coldStart: [], cold: [], unknownOf: {}, encodedOf: {}, fit: false };
      const encoded = encodeBatchScores({ header, scores: new Float32Array(tastes * films.length), fitScores: null });
      body = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
      answers.set(key, body);
    }
    return body;
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/recommendations/batch/scores') {
        res.writeHead(404).end();
        return;
      }
      const { header } = decodeBatchTastes(new Uint8Array(Buffer.concat(parts)));
      const body = answerFor(header.tastes, header.candidates);
      res.writeHead(200, { 'content-type': BATCH_SCORES_BINARY, 'content-length': body.byteLength }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}
