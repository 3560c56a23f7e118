import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { runToEnd, until } from '@cine/common/testing';
import { BullmqImportQueue, createLogger, ETL_QUEUE, JobName, type JobWorker, QueueName, startJobWorker } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { Queue } from 'bullmq';
import { createEtlServices } from '../src/etl.services';
import { isBadInput } from '../src/jobs/etl.processors';
import { openTestQueues, SAMPLE_POLICY } from './etl-harness';
import { describeWithSamples, IMDB, REPO_ROOT } from './samples';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 's3cr3tpass';
/** Port 9 (discard): nothing listens, the connection is refused. */
const REFUSED = `http://user:${SECRET}@127.0.0.1:9/imdb/`;

/** Everything a run wrote anywhere durable or visible, as one string to search. */
async function ledgerText(t: TestDatabase): Promise<string> {
  const runs = await t.handle.db.selectFrom('import_run').selectAll().execute();
  const files = await t.handle.db.selectFrom('import_file').selectAll().execute();
  return JSON.stringify({ runs, files });
}

function capturingLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, log: createLogger('secrets-test', { level: 'debug', destination: stream }) };
}

/**
 * A source URL may carry a password. It must reach no ledger row, no job kept in Redis, no log
 * line and no message of the command line, even when a library repeats the URL in its own
 * error text; and it must still work, as HTTP Basic credentials.
 */
describeWithSamples('a source URL with credentials', () => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  const authorizations: Array<string | undefined> = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    // Serves famous-40 only to the right Basic credentials, like a private mirror.
    server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      const expected = `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return void res.writeHead(401).end();
      const name = (req.url ?? '').split('/').pop() ?? '';
      let body: Buffer;
      try {
        body = readFileSync(join(IMDB('famous-40'), name));
      } catch {
        return void res.writeHead(404).end();
      }
      res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://user:${SECRET}@127.0.0.1:${(server.address() as AddressInfo).port}/imdb/`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t?.drop();
  });

  it('is fetched with its credentials as a Basic Authorization header, and stored without them', async () => {
    const { lines, log } = capturingLog();
    const etl = createEtlServices(t.handle, { log, http: { attempts: 1, retryDelayMs: 1, connectTimeoutMs: 2000 } });
    const result = await etl.importer.imdb({ sources: [base], policy: SAMPLE_POLICY });
    expect(result.counts.title).toBe(40);
    expect(authorizations.length).toBeGreaterThan(0);
    const ledger = await ledgerText(t);
    expect(ledger).toContain('user:***@127.0.0.1');
    expect(ledger).not.toContain(SECRET);
    expect(lines.join('')).not.toContain(SECRET);
  });

  it('stays out of the ledger and the logs when the source cannot be reached', async () => {
    const { lines, log } = capturingLog();
    const etl = createEtlServices(t.handle, { log, http: { attempts: 2, retryDelayMs: 1, connectTimeoutMs: 2000 } });
    const failure = await etl.importer.imdb({ sources: [REFUSED], policy: SAMPLE_POLICY }).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/user:\*\*\*@127\.0\.0\.1:9\/imdb\/.*unreachable after 2 attempts/);
    expect(`${(failure as Error).message}${(failure as Error).stack}`).not.toContain(SECRET);
    const ledger = await ledgerText(t);
    expect(ledger).toMatch(/unreachable after 2 attempts/);
    expect(ledger).not.toContain(SECRET);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(SECRET);
  });

  describe('through the BullMQ worker (real Redis)', () => {
    let queues: Awaited<ReturnType<typeof openTestQueues>>;
    let queue: BullmqImportQueue;
    let prefix: string;
    let worker: JobWorker;
    const captured = capturingLog();

    beforeAll(async () => {
      queues = await openTestQueues({ name: 'cine-secrets', attempts: 1, backoffMs: 10, standInEmbeddings: false });
      ({ queue, prefix } = queues);
      const etl = createEtlServices(t.handle, { log: captured.log, http: { attempts: 1, retryDelayMs: 1, connectTimeoutMs: 2000 } });
      worker = startJobWorker(etl.handlers, { queue: QueueName.Etl, ...queues.jobs, isBadInput }, captured.log);
      await worker.worker.waitUntilReady();
    });
    afterAll(async () => {
      await worker?.stop('end of the tests');
      await queues?.close();
      expect(await queues.keys()).toEqual([]);
    });

    it('keeps no password in the failed job, its stack trace or the run view', async () => {
      const { id } = await queue.enqueue({ imdb: [REFUSED], policy: SAMPLE_POLICY });
      const view = await until(
        'the import to fail',
        async () => {
          const v = await queue.status(id);
          return v?.state === 'failed' ? v : null;
        },
        { intervalMs: 50 },
      );
      expect(view.error).toMatch(/user:\*\*\*@127\.0\.0\.1:9/);
      const raw = new Queue(ETL_QUEUE, { connection: { url: REDIS_URL }, prefix });
      try {
        const step = view.steps.find((s) => s.name === JobName.ImportCatalogue)!;
        const job = await raw.getJob(step.id);
        expect(job?.failedReason).toMatch(/unreachable/);
        // The payload itself must keep the URL: the job needs it to run. What it failed with must not.
        expect(JSON.stringify({ reason: job?.failedReason, stack: job?.stacktrace })).not.toContain(SECRET);
      } finally {
        await raw.close();
      }
      expect(JSON.stringify(view)).not.toContain(SECRET);
      expect(captured.lines.join('')).not.toContain(SECRET);
      expect(await ledgerText(t)).not.toContain(SECRET);
    });
  });

  it('is never printed by the command line', async () => {
    const result = await runToEnd(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/etl.cli.ts'), '--imdb', REFUSED, '--min-votes', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'debug', DATABASE_URL: t.url, ETL_HTTP_ATTEMPTS: '1' },
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/etl: error: .*user:\*\*\*@127\.0\.0\.1:9/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
  });
});
