import { type Logger, type MetricsRegistry, registerMetricsRoute } from '@cine/common';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sendError } from './api-error';

/**
 * The gateway's `GET /metrics`, on a port of its own (METRICS_PORT), never on the public one:
 * the figures name every route, count the admin refusals and show the process's memory. Compose
 * does not publish this port; Prometheus reaches it on the compose network, `npm start` on the
 * loopback. It serves nothing else.
 */
export class MetricsServer {
  private readonly app: FastifyInstance;

  constructor(log: Logger) {
    this.app = Fastify({ loggerInstance: log as FastifyBaseLogger });
    this.app.setNotFoundHandler(async (request, reply) => sendError(reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`));
  }

  /** The registry to serve: the gateway's (buildGateway hands it over), before `listen`. */
  serve(registry: MetricsRegistry): void {
    registerMetricsRoute(this.app, registry);
  }

  async listen(host: string, port: number): Promise<void> {
    await this.app.listen({ host, port });
  }

  /** The port it listens on (0 before `listen`). */
  get port(): number {
    const address = this.app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
