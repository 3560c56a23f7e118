import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { type ErrorBody, REQUEST_ID_HEADER, type RecommendRequest, type RecommendResponse } from '@cine/common';
import { badRequest, HttpError, unavailable } from '../http/http-errors';

/** How long the customer is asked to wait before retrying when the recommender is away. */
const RETRY_AFTER_SECONDS = 5;
/**
 * An idle connection is closed after this long: well under the recommender's keep-alive timeout
 * (fastify's 72 s), so the gateway is the side that closes and never writes into a socket the
 * recommender is closing at that moment.
 */
const IDLE_SOCKET_MS = 5_000;

export interface RecommenderClient {
  recommend(request: RecommendRequest, requestId?: string): Promise<RecommendResponse>;
  /** Readiness of the recommender itself (its `/health/ready`). */
  ready(): Promise<{ ok: boolean; detail?: string }>;
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * The recommender's internal HTTP API (common/src/contracts/recommender.contract.ts). Every call
 * is bounded by `timeoutMs`: a recommender that is down, slow or not ready yet becomes a 503 with
 * `Retry-After`, never a hung customer request.
 *
 * node:http with a keep-alive agent rather than `fetch`: profiled under the gateway benchmark,
 * fetch's web streams, body cloning and `AbortSignal.timeout` cost the gateway more CPU than the
 * rest of a recommendation (≈ 0.4 ms a call); here a call is one write of headers and body on a
 * reused connection, one read, one `JSON.parse`.
 */
export class HttpRecommenderClient implements RecommenderClient {
  private readonly url: URL;
  // Idle sockets are unref'd by the agent: they never keep the process alive.
  private readonly agent = new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.url = new URL(url.replace(/\/+$/, ''));
  }

  async recommend(request: RecommendRequest, requestId?: string): Promise<RecommendResponse> {
    let answer: RawAnswer;
    try {
      answer = await this.call('POST', '/v1/recommendations', JSON.stringify(request), requestId);
    } catch (err) {
      throw unavailable(
        err instanceof TimeoutError ? `the recommender did not answer within ${this.timeoutMs} ms` : 'the recommender is unreachable',
        RETRY_AFTER_SECONDS,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw unavailable(`the recommender sent an unreadable answer (HTTP ${answer.status})`, RETRY_AFTER_SECONDS);
    }
    if (answer.status >= 200 && answer.status < 300) return body as RecommendResponse;
    const message = (body as Partial<ErrorBody> | null)?.message;
    // A 400 means our request broke the contract's bounds: the customer's input, said plainly.
    if (answer.status === 400) throw badRequest(typeof message === 'string' ? message : 'the recommender refused the request');
    if (answer.status === 503) throw unavailable('the recommender is not ready yet (no embeddings built)', RETRY_AFTER_SECONDS);
    throw new HttpError(503, `the recommender failed (HTTP ${answer.status})`, RETRY_AFTER_SECONDS);
  }

  async ready(): Promise<{ ok: boolean; detail?: string }> {
    try {
      const answer = await this.call('GET', '/health/ready');
      return answer.status === 200 ? { ok: true } : { ok: false, detail: `recommender not ready (HTTP ${answer.status})` };
    } catch {
      return { ok: false, detail: 'recommender unreachable' };
    }
  }

  /**
   * One exchange, body read to the end, within `timeoutMs`. A connection the recommender closed
   * while it sat idle (a restart) fails at once on reuse: that request is sent again, once, on a
   * new connection; the call has no side effect on the recommender.
   */
  private async call(method: 'GET' | 'POST', path: string, body?: string, requestId?: string): Promise<RawAnswer> {
    const deadline = performance.now() + this.timeoutMs;
    try {
      return await this.exchange(method, path, deadline, body, requestId);
    } catch (err) {
      if (!(err instanceof StaleSocketError)) throw err;
      return this.exchange(method, path, deadline, body, requestId);
    }
  }

  private exchange(method: 'GET' | 'POST', path: string, deadline: number, body?: string, requestId?: string): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      if (requestId) headers[REQUEST_ID_HEADER] = requestId;
      const req = httpRequest({
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        port: this.url.port,
        path: `${this.url.pathname === '/' ? '' : this.url.pathname}${path}`,
        method,
        headers,
        agent: this.agent,
      });
      let settled = false;
      const timer = setTimeout(() => fail(new TimeoutError()), Math.max(0, deadline - performance.now()));
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      req.on('error', (err: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        fail(stale ? new StaleSocketError(err.message) : err);
      });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) fail(new Error('the connection closed in the middle of the answer'));
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      });
      req.end(body);
    });
  }
}

class StaleSocketError extends Error {
  override readonly name = 'StaleSocketError';
}
