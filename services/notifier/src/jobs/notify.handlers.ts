import { JobName, type NotifyHandlers } from '@cine/common';
import type { RetentionService } from '../retention/retention.service';
import { BadNotifyPayload } from './notify-errors';
import type { SendConfirmationJob } from './send-confirmation.job';

/** The jobs written elsewhere (matching, digests, cancellations), given by whoever composes the notifier. */
export type ProgrammeHandlers = Pick<NotifyHandlers, JobName.MatchProgramme | JobName.ScreeningCancelled | JobName.SendDigests>;

/** The notify queue's handlers, one per job of the catalogue (a missing one is a compile error). */
export function createNotifyHandlers(jobs: { confirmation: SendConfirmationJob; retention: RetentionService; clock: () => Date }, programme: ProgrammeHandlers): NotifyHandlers {
  return {
    [JobName.SendConfirmation]: (data) => jobs.confirmation.run(data),
    [JobName.NotifierRetention]: (data) => jobs.retention.run(data.now ? new Date(data.now) : jobs.clock()),
    ...programme,
  };
}

/** A job that cannot succeed on a retry: the consumers do not retry it (`isBadInput`). */
export class NotWiredError extends Error {
  constructor(job: string) {
    super(`${job} is not wired into the notifier yet`);
    this.name = 'NotWiredError';
  }
}

export const isBadNotifyInput = (err: unknown): boolean => err instanceof NotWiredError || err instanceof BadNotifyPayload;

/**
 * Until the matching and digest jobs are wired in: their jobs fail at once, unretried, saying so,
 * rather than wait in the queue with no consumer.
 */
export const PROGRAMME_HANDLERS_MISSING: ProgrammeHandlers = {
  [JobName.MatchProgramme]: async () => {
    throw new NotWiredError('match-programme');
  },
  [JobName.ScreeningCancelled]: async () => {
    throw new NotWiredError('screening-cancelled');
  },
  [JobName.SendDigests]: async () => {
    throw new NotWiredError('send-digests');
  },
};
