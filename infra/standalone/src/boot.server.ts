import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const STARTING_HTML = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="2"><title>Ciné Creuse démarre…</title></head>
<body style="font-family: sans-serif; font-size: 1.4rem; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Ciné Creuse démarre…</h1>
<p>Le service se prépare. Cette page se recharge toute seule dans un instant.</p>
</body></html>`;

/**
 * The HTTP port of `npm start`, open from the first second. A fresh embedded database takes
 * seconds to create (PGlite runs initdb); meanwhile this answers: the page says the service is
 * starting and reloads itself, the API says 503 with Retry-After, liveness is ok and readiness is
 * not. Once the gateway is built, the same listening socket hands every request to it, so no
 * connection is ever refused between the two.
 */
export class BootServer {
  private handler: Handler = starting;

  private constructor(private readonly server: Server) {}

  static async listen(host: string, port: number): Promise<BootServer> {
    let boot: BootServer | undefined;
    const server = createServer((req, res) => boot!.handler(req, res));
    boot = new BootServer(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return boot;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** From now on every request goes to `handler` (fastify's `app.routing`, the app being ready). */
  handOver(handler: Handler): void {
    this.handler = handler;
  }

  /** Stops accepting connections; idle keep-alive ones are closed, busy ones get `graceMs` to end. */
  async close(graceMs = 5000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }
}

function starting(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/health/live') return send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
  if (path === '/health/ready') {
    return send(res, 503, 'application/json', JSON.stringify({ status: 'not_ready', checks: { startup: { ok: false, detail: 'starting' } } }));
  }
  if (/^\/(api|docs|metrics)(\/|$)/.test(path) || req.method !== 'GET') {
    res.setHeader('retry-after', '2');
    return send(res, 503, 'application/json', JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'starting; retry in a moment' }));
  }
  return send(res, 200, 'text/html; charset=utf-8', STARTING_HTML);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
