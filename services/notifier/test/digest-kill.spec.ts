/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { JobName, openNotifyQueue } from '@cine/common';
import { deadline, groupAlive, signalGroup, spawnInGroup, until, within } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import IORedis from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { addDays, cinemaWeekOf } from '../src/matching/cinema-time';
import { captureLogger } from './mail/smtp-harness';
import { ProgrammeFixtures, SAMPLE } from './programme/programme-fixtures';

/**
 * A notifier killed in the middle of a digest run (SIGKILL: no stop, no cleanup) while an email
 * is on the wire, another started after it: every subscriber ends with exactly one digest, counted
 * as the relay accepted them (250 after the data). The notifier runs as `npm run notifier` does
 * (node --import tsx services/notifier/src/main.ts), on real Redis, Postgres, the real
 * recommender and a real SMTP server that holds one message's answer so the kill lands mid-send.
 */

const REPO_ROOT = resolve(__dirname, '../../..');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUBSCRIBERS = 12;
/** Digests the relay accepts before it holds the next one's answer. */
const ACCEPTED_BEFORE_KILL = 4;

jest.setTimeout(deadline(240_000));

interface Relay {
  url: string;
  /** Accepted messages per recipient. */
  accepted: Map<string, number>;
  /** Resolves when the held message's data has arrived (its answer not sent). */
  held: Promise<string>;
  /** Answers the held message with a temporary refusal (its sender is dead by then). */
  releaseHeld(): void;
  close(): Promise<void>;
}

async function startRelay(holdAfter: number): Promise<Relay> {
  const accepted = new Map<string, number>();
  let total = 0;
  let holding = false;
  let heldCallback: ((err?: Error) => void) | null = null;
  let resolveHeld!: (to: string) => void;
  const held = new Promise<string>((r) => (resolveHeld = r));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        if (!holding && total === holdAfter) {
          // This one's 250 never comes: the sender waits for it when it is killed.
          holding = true;
          heldCallback = callback;
          resolveHeld(to);
          return;
        }
        total++;
        accepted.set(to, (accepted.get(to) ?? 0) + 1);
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    held,
    releaseHeld() {
      const cb = heldCallback;
      heldCallback = null;
      cb?.(Object.assign(new Error('try again later'), { responseCode: 451 }));
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describeWithSamples('notifier: a worker killed in the middle of a digest run', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let relay: Relay;
  const prefix = `cine-digest-kill-${process.pid}-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const emails = Array.from({ length: SUBSCRIBERS }, (_, i) => `abonne${i}@example.org`);
  // Next programme week: every séance of it is still to come whenever the test runs.
  const week = addDays(cinemaWeekOf(new Date(), 'Europe/Paris'), 7);

  const startWorker = (name: string): ChildProcess => {
    const child = spawnInGroup('node', ['--import', 'tsx', 'services/notifier/src/main.ts'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NOTIFIER_PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: t.url!,
        REDIS_URL,
        ETL_QUEUE_PREFIX: prefix,
        RECOMMENDER_URL: recommender.url,
        SMTP_URL: relay.url,
        MAIL_FROM: '"Ciné Creuse" <programme@cinema.example>',
        CINEMA_ADDRESS: '1 place du Marché, 23000 Guéret',
        PUBLIC_BASE_URL: 'https://cinema.example',
        NOTIFY_RATE_PER_MINUTE: '6000',
        // A killed worker's job is taken over soon, its one claimed email soon after.
        NOTIFY_LOCK_DURATION_MS: '2000',
        NOTIFY_CLAIM_LEASE_MS: '3000',
        NOTIFY_JOB_BACKOFF_MS: '500',
        LOG_LEVEL: 'info',
      },
    });
    child.stdout?.on('data', (c: Buffer) => output.push(`[${name}] ${c.toString()}`));
    child.stderr?.on('data', (c: Buffer) => output.push(`[${name}] ${c.toString()}`));
    children.push(child);
    return child;
  };
  const tail = () => output.join('').split('\n').slice(-40).join('\n');

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    recommender = await startRecommender({ handle: t.handle, log: captureLogger().logger, pollIntervalMs: 0 });
    relay = await startRelay(ACCEPTED_BEFORE_KILL);
    const fx = new ProgrammeFixtures(t.handle);
    const room = await fx.room('Grande salle');
    await fx.week(week);
    for (const [i, tconst] of [SAMPLE.jedi, SAMPLE.lionKing, SAMPLE.amelie].entries()) {
      await fx.screening({ tconst, startsAt: `${addDays(week, i + 1)}T19:30:00Z`, weekStart: week, roomId: room, version: 'VF' });
    }
    for (const email of emails) await fx.subscriber(email, [SAMPLE.starWars], { alerts: false, digest: true });
  }, deadline(180_000));

  afterAll(async () => {
    for (const child of children) if (child.pid && groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
    relay?.releaseHeld();
    await relay?.close();
    await recommender?.close();
    await t?.drop();
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('leaves every subscriber with exactly one digest', async () => {
    const first = startWorker('first');
    await until('the first worker listens', () => output.join('').includes('notifier listening'), { timeoutMs: 60_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail()}`);
    });
    const producer = openNotifyQueue(REDIS_URL, { prefix, attempts: 10, backoffMs: 500 }, captureLogger().logger);
    try {
      await until('the producer is ready', async () => producer.ping().then(() => true, () => false), { timeoutMs: 10_000 });
      await producer.enqueue(JobName.SendDigests, { week });
    } finally {
      await producer.close();
    }

    // The kill lands while an email waits for the relay's answer.
    const heldFor = await within(relay.held, 60_000, null);
    expect({ held: heldFor !== null, log: heldFor ? '' : tail() }).toEqual({ held: true, log: '' });
    expect([...relay.accepted.values()].reduce((a, b) => a + b, 0)).toBe(ACCEPTED_BEFORE_KILL);
    signalGroup(first.pid!, 'SIGKILL');
    await until('the first worker is dead', () => !groupAlive(first.pid!), { timeoutMs: 10_000 });
    relay.releaseHeld();
    // Its ledger row: claimed, not sent.
    const pending = await t.handle.db.selectFrom('notification').select(['key', 'status']).where('kind', '=', 'digest').where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(1);

    // Another worker takes the stalled job over (BullMQ: once the dead one's lock has expired).
    startWorker('second');
    await until(
      'every digest sent',
      async () => {
        const rows = await t.handle.db.selectFrom('notification').select('status').where('kind', '=', 'digest').execute();
        return rows.length === SUBSCRIBERS && rows.every((r) => r.status === 'sent');
      },
      { timeoutMs: 150_000, intervalMs: 250 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail()}`);
    });
    // Anything still coming would come now.
    await new Promise((r) => setTimeout(r, 2000));
    expect(Object.fromEntries(emails.map((e) => [e, relay.accepted.get(e) ?? 0]))).toEqual(Object.fromEntries(emails.map((e) => [e, 1])));
    // The one on the wire at the kill was sent again by the second worker, once.
    expect(relay.accepted.get(heldFor!)).toBe(1);
    expect(output.join('')).toMatch(/\[second\][^\n]*"msg":"digests sent"/);
  });
});
