import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation that refuses rather than repairs: unknown fields are errors (fastify's
 * default silently strips them), and a JSON body must carry real types ("k": "5" is refused).
 * Query strings and path parameters are text by nature, so they alone are coerced to numbers.
 */
function ajv(coerceTypes: boolean): Ajv {
  const options: Options = { allErrors: false, removeAdditional: false, useDefaults: true, coerceTypes, strict: false };
  const instance = new Ajv(options);
  addFormats(instance);
  return instance;
}

export function strictValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const body = ajv(false);
  const text = ajv(true);
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema as object);
}
