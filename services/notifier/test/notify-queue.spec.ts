import { randomBytes } from 'node:crypto';
import { connectedProducer, createLogger, JobName, type NotifyHandlers, BullmqNotifyQueue, QueueName, startNotifyWorker } from '@cine/common';
import { until } from '@cine/common/testing';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { nextOccurrence } from '../src/schedule/next-occurrence';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = createLogger('notify-queue-test', { level: 'silent' });

/** The notify queue on the real Redis, under a prefix of the suite's own, removed after. */
describe('notify queue on BullMQ', () => {
  const prefix = `notify-test-${randomBytes(4).toString('hex')}`;
  let queue: BullmqNotifyQueue;
  beforeAll(async () => {
    queue = new BullmqNotifyQueue(await connectedProducer(REDIS_URL), { attempts: 3, backoffMs: 10, prefix });
  });
  afterAll(async () => {
    await queue?.close();
    const cleanup = new Queue(QueueName.Notify, { connection: { url: REDIS_URL }, prefix });
    await cleanup.obliterate({ force: true });
    await cleanup.close();
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const left = await redis.keys(`${prefix}:*`);
      if (left.length > 0) await redis.del(...left);
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('upserting the schedules twice leaves one weekly digest, one daily retention and one catch-up, with the latest pattern, in the cinema’s zone', async () => {
    const schedules = { digestCron: '0 10 * * 3', retentionCron: '30 3 * * *', catchUpCron: '15 8-20 * * *', timezone: 'Europe/Paris' };
    await queue.upsertSchedules(schedules);
    await queue.upsertSchedules({ ...schedules, digestCron: '0 9 * * 3' });
    const held = await queue.schedulers();
    expect(held.map((s) => [s.key, s.name, s.pattern, s.tz]).sort()).toEqual([
      ['notify-daily-retention', JobName.NotifierRetention, '30 3 * * *', 'Europe/Paris'],
      ['notify-programme-catch-up', JobName.MatchProgramme, '15 8-20 * * *', 'Europe/Paris'],
      ['notify-weekly-digest', JobName.SendDigests, '0 9 * * 3', 'Europe/Paris'],
    ]);
    // The next digest is Wednesday 09:00 in Paris, whatever the server's zone: BullMQ and the in-process timer agree.
    const digest = held.find((s) => s.key === 'notify-weekly-digest')!;
    expect(new Date(digest.next!).toISOString()).toBe(nextOccurrence('0 9 * * 3', 'Europe/Paris', new Date(digest.next! - 1000)).toISOString());
    expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(digest.next!)).toBe('mercredi 09:00');
  });

  it('makes one job of one job id, and its consumer runs it with retries', async () => {
    const seen: string[] = [];
    let failures = 1;
    const handlers: NotifyHandlers = {
      [JobName.SendConfirmation]: async (data) => {
        if (failures-- > 0) throw new Error('relay busy');
        seen.push(data.subscriberId);
      },
      [JobName.MatchProgramme]: async () => {},
      [JobName.ScreeningCancelled]: async () => {},
      [JobName.SendDigests]: async () => {},
      [JobName.NotifierRetention]: async () => {},
    };
    await queue.enqueue(JobName.SendConfirmation, { subscriberId: 'a' }, { jobId: 'send-confirmation-a' });
    await queue.enqueue(JobName.SendConfirmation, { subscriberId: 'a' }, { jobId: 'send-confirmation-a' });
    const inspect = new Queue(QueueName.Notify, { connection: { url: REDIS_URL }, prefix });
    try {
      // The schedulers' next runs wait as delayed jobs; ours is the one waiting now.
      expect(await inspect.getJobCountByTypes('wait')).toBe(1);
    } finally {
      await inspect.close();
    }
    const worker = startNotifyWorker(handlers, { redisUrl: REDIS_URL, prefix, lockDurationMs: 30_000, stalledIntervalMs: 30_000 }, silent);
    try {
      await until('the job done', () => (seen.length > 0 ? seen : null));
      expect(seen).toEqual(['a']);
    } finally {
      await worker.stop('end of test');
    }
  });
});
