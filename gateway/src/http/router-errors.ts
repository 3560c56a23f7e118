import type { FastifyError } from 'fastify';
import type { RouteTable } from './route-table';
import { MAX_PARAM_LENGTH } from './server-options';

/**
 * The answer to an error fastify's router raises before any route runs (its `frameworkErrors`):
 * a bad URL is a 400 naming the parameter when a route's pattern says which one it is, a
 * parameter past the router's limit a 414.
 */
export function routerErrorAnswer(error: FastifyError, path: string, routes: RouteTable): { statusCode: number; message: string } {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return { statusCode: 414, message: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` };
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    const broken = routes.rawParams(path).find(([, raw]) => !decodes(raw));
    const field = broken ? `params/${broken[0]}` : 'the path';
    return { statusCode: 400, message: `${field} is not valid UTF-8 text (bad percent-encoding)` };
  }
  return { statusCode: 400, message: 'the request could not be routed' };
}

function decodes(raw: string): boolean {
  try {
    decodeURIComponent(raw);
    return true;
  } catch {
    return false;
  }
}
