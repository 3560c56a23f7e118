import { createLogger } from '../logger';
import { JobName } from './job-catalogue';
import { InProcessNotifyQueue } from './in-process-notify-queue';
import type { NotifyHandlers } from './notify-worker';

const silent = createLogger('in-process-notify-test', { level: 'silent' });

function handlers(run: (name: string, data: unknown) => Promise<void>): NotifyHandlers {
  return {
    [JobName.SendConfirmation]: (data) => run(JobName.SendConfirmation, data),
    [JobName.MatchProgramme]: (data) => run(JobName.MatchProgramme, data),
    [JobName.ScreeningCancelled]: (data) => run(JobName.ScreeningCancelled, data),
    [JobName.SendDigests]: (data) => run(JobName.SendDigests, data),
    [JobName.NotifierRetention]: (data) => run(JobName.NotifierRetention, data),
  };
}

describe('the in-process notify queue', () => {
  it('runs jobs one at a time in order, one job per job id, and retries a failure with backoff', async () => {
    const log: string[] = [];
    let running = 0;
    let failOnce = true;
    const queue = new InProcessNotifyQueue(
      handlers(async (name, data) => {
        running++;
        expect(running).toBe(1);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        const id = (data as { subscriberId?: string }).subscriberId ?? name;
        if (id === 'b' && failOnce) {
          failOnce = false;
          throw new Error('temporary');
        }
        log.push(id);
      }),
      silent,
      { attempts: 3, backoffMs: 1 },
    );
    await queue.enqueue(JobName.SendConfirmation, { subscriberId: 'a' }, { jobId: 'a' });
    await queue.enqueue(JobName.SendConfirmation, { subscriberId: 'a' }, { jobId: 'a' });
    await queue.enqueue(JobName.SendConfirmation, { subscriberId: 'b' });
    await queue.enqueue(JobName.NotifierRetention, {});
    await queue.idle();
    expect(log).toEqual(['a', 'b', JobName.NotifierRetention]);
    // Once done, the same id is a new job.
    await queue.enqueue(JobName.SendConfirmation, { subscriberId: 'a' }, { jobId: 'a' });
    await queue.idle();
    expect(log).toEqual(['a', 'b', JobName.NotifierRetention, 'a']);
    await queue.close();
    await expect(queue.enqueue(JobName.NotifierRetention, {})).rejects.toThrow(/closed/);
  });

  it('fires each schedule at the next occurrence its function gives, then arms the one after', async () => {
    const fired: string[] = [];
    const queue = new InProcessNotifyQueue(
      handlers(async (name) => {
        fired.push(name);
      }),
      silent,
    );
    const asked: Array<[string, string]> = [];
    let digests = 0;
    queue.startSchedules({ digestCron: 'digest', retentionCron: 'retention', catchUpCron: 'catch-up', timezone: 'Europe/Paris' }, (pattern, timezone, after) => {
      asked.push([pattern, timezone]);
      // The digest fires twice, soon; the retention not before a year.
      if (pattern === 'digest' && digests++ < 2) return new Date(after.getTime() + 20);
      return new Date(after.getTime() + 365 * 24 * 3600_000);
    });
    for (let i = 0; i < 200 && fired.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await queue.idle();
    expect(fired).toEqual([JobName.SendDigests, JobName.SendDigests]);
    expect(asked).toContainEqual(['retention', 'Europe/Paris']);
    expect(asked).toContainEqual(['catch-up', 'Europe/Paris']);
    await queue.close();
  });
});
