import { createLogger, type Handlers, type JobHandler, JobName } from '@cine/common';
import { CATALOGUE_TABLES, type DbHandle, otherSchema } from '@cine/db';
import { sql } from 'kysely';
import { createEtlServices } from '../src/etl.services';

export const silentLog = createLogger('test', { level: 'silent' });

/**
 * Every job's handler for an in-process queue in these tests: the ETL's own, and a stand-in for
 * the recommender's `build-embeddings` (another service: its own tests build real embeddings).
 */
export function handlersFor(handle: DbHandle, buildEmbeddings: JobHandler<JobName.BuildEmbeddings> = async () => ({ stand_in: true })): Handlers<JobName> {
  return { ...etlFor(handle).handlers, [JobName.BuildEmbeddings]: buildEmbeddings };
}

/** The ETL wired as in production, over a test database; HTTP retries kept short. */
export function etlFor(handle: DbHandle) {
  return createEtlServices(handle, { log: silentLog, http: { attempts: 2, retryDelayMs: 10, connectTimeoutMs: 2000 } });
}

export const SAMPLE_POLICY = { movieMinVotes: 0, seriesMinVotes: 0 };

/** A digest of every catalogue table's content, as readers see it through the public views. */
export async function catalogueDigest(handle: DbHandle): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [...CATALOGUE_TABLES, 'title_tmdb']) {
    const { rows } = await sql
      .raw<{ d: string | null; n: number }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS d, count(*)::int AS n FROM public.${table} x`)
      .execute(handle.db);
    out[table] = `${rows[0]?.n}:${rows[0]?.d ?? ''}`;
  }
  return out;
}

/** Rows left in the schema that is not serving: there must be none between imports. */
export async function stagingRows(handle: DbHandle): Promise<number> {
  const { active_schema } = await handle.db.selectFrom('catalogue_state').select('active_schema').executeTakeFirstOrThrow();
  const staging = otherSchema(active_schema);
  let total = 0;
  for (const table of CATALOGUE_TABLES) {
    const r = await sql.raw<{ n: number }>(`SELECT count(*)::int AS n FROM ${staging}.${table}`).execute(handle.db);
    total += r.rows[0]!.n;
  }
  return total;
}
