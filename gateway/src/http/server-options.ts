import { requestIdServerOptions } from '@cine/common';
import type { FastifyServerOptions } from 'fastify';
import type { FastifySchemaValidationError } from 'fastify/types/schema';
import { NO_NUL } from '../schemas/api.schema';

/** Longest path parameter the router takes; a longer one is a 414 (a title search goes in the query). */
export const MAX_PARAM_LENGTH = 200;

/**
 * The HTTP server's settings, shared by the gateway and the benchmark's bare "hello" ceiling so
 * the two are measured under the same rules.
 */
export function gatewayServerOptions(opts: { bodyLimitBytes: number }): FastifyServerOptions {
  return {
    ...requestIdServerOptions(),
    bodyLimit: opts.bodyLimitBytes,
    // A client that sends its request slower than this is dropped (slowloris).
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    // Longer than the usual proxy idle timeouts (60 s) so the proxy closes first.
    keepAliveTimeout: 72_000,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    return503OnClosing: true,
    schemaErrorFormatter: formatValidationErrors,
  };
}

/** A 400 message that names the field: "body/liked/0 must NOT have more than 200 characters". */
export function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0];
  if (!first) return new Error(`${dataVar} is invalid`);
  const path = `${dataVar}${first.instancePath}`;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'additionalProperties') return new Error(`${path}/${String(params.additionalProperty)} is not allowed (unknown field)`);
  if (first.keyword === 'required') return new Error(`${path}/${String(params.missingProperty)} is required`);
  if (first.keyword === 'pattern' && params.pattern === NO_NUL.pattern) return new Error(`${path} must not contain NUL characters`);
  if (first.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return new Error(`${path} must be one of ${params.allowedValues.join(', ')}`);
  }
  return new Error(`${path} ${first.message ?? 'is invalid'}`);
}
