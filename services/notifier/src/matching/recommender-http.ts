import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The recommender answered 503 (no embedding version yet) or could not be reached: the job retries later. */
export class RecommenderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecommenderUnavailable';
  }
}

export interface RecommenderAnswer {
  status: number;
  type: string;
  /** The whole body, at the start of a buffer of its own (8-byte aligned: the scores are read in place). */
  body: Uint8Array;
}

/**
 * POSTs to the recommender through node:http and a keep-alive agent, each answer read into one
 * buffer of its announced length. fetch (undici) took twice as long to carry the batch's bytes over
 * loopback (the scores' 16 MB and the tastes' 5.4 MB for 100 000 × 40: ~0.24 s against ~0.12 s,
 * alternating in one run: web streams, a copy per chunk). The agent's idle sockets do not hold
 * the process open.
 *
 * A caller that copies an answer out may hand its buffer back (`reuse`): the next answer of at
 * most its size is read into it, where a fresh buffer of 0.8 MB costs its page faults and its
 * share of the collector's work, 20 times per 100 000 tastes.
 */
export class RecommenderHttp {
  private readonly agent: HttpAgent;
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** Buffers kept for reuse at most. */
    private readonly keep: number,
  ) {
    this.agent = baseUrl.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  post(path: string, body: string | Uint8Array, type: string): Promise<RecommenderAnswer> {
    const url = new URL(path, this.baseUrl);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<RecommenderAnswer>((resolve, reject) => {
      const unreachable = (err: Error) => {
        clearTimeout(timer);
        reject(new RecommenderUnavailable(`the recommender could not be reached (${err.name})`));
      };
      const req = request(url, { method: 'POST', agent: this.agent, headers: { 'content-type': type, accept: type, 'content-length': Buffer.byteLength(body) } }, (res) => {
        this.readAll(res).then((answer) => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: answer });
        }, unreachable);
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' })), this.timeoutMs);
      req.on('error', unreachable);
      req.end(body);
    });
  }

  /** The answer's buffer may be read into again: nothing reads `body` any more. */
  reuse(body: Uint8Array): void {
    if (this.spare.length < this.keep && body.byteOffset === 0) this.spare.push(body.buffer as ArrayBuffer);
  }

  /** Forgets the buffers kept for reuse (the end of a scoring). */
  release(): void {
    this.spare.length = 0;
  }

  private buffer(size: number): Uint8Array {
    const at = this.spare.findIndex((b) => b.byteLength >= size);
    return at < 0 ? new Uint8Array(size) : new Uint8Array(this.spare.splice(at, 1)[0]!, 0, size);
  }

  /** The body in one buffer, of the announced length when there is one. */
  private readAll(res: IncomingMessage): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const announced = Number(res.headers['content-length']);
      let body = Number.isSafeInteger(announced) && announced >= 0 ? this.buffer(announced) : new Uint8Array(64 * 1024);
      let at = 0;
      res.on('data', (chunk: Buffer) => {
        if (at + chunk.byteLength > body.byteLength) {
          const grown = new Uint8Array(Math.max(2 * body.byteLength, at + chunk.byteLength));
          grown.set(body.subarray(0, at));
          body = grown;
        }
        body.set(chunk, at);
        at += chunk.byteLength;
      });
      res.on('end', () => resolve(at === body.byteLength ? body : body.slice(0, at)));
      res.on('error', reject);
    });
  }
}
