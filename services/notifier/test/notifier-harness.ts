import { CONSENT_WORDING_VERSION, type InProcessNotifyQueue, type SubscribeRequest } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import type { DbHandle } from '@cine/db';
import { type RunningNotifier, startNotifier } from '../src/server';
import { captureLogger, type SmtpHarness, startSmtpServer } from './mail/smtp-harness';
import { testNotifierConfig } from './test-config';

/** Films the tests name: in `film_index` (every film of the IMDb files) and one in `title` only. */
export const FILMS = {
  godfather: { tconst: 'tt0068646', title: 'The Godfather', year: 1972 },
  pulpFiction: { tconst: 'tt0110912', title: 'Pulp Fiction', year: 1994 },
  amelie: { tconst: 'tt0211915', title: 'Amélie', year: 2001 },
} as const;

export async function insertFilms(handle: DbHandle): Promise<void> {
  await handle.db
    .insertInto('film_index')
    .values(
      [FILMS.godfather, FILMS.pulpFiction].map((f) => ({ tconst: f.tconst, title_type: 'movie', primary_title: f.title, original_title: f.title, start_year: f.year, genres: ['Drama'] })),
    )
    .execute();
  await handle.db
    .insertInto('title')
    .values({
      tconst: FILMS.amelie.tconst,
      title_type: 'movie',
      primary_title: 'Amélie',
      original_title: 'Le fabuleux destin d’Amélie Poulain',
      french_title: 'Le Fabuleux Destin d’Amélie Poulain',
      is_adult: false,
      start_year: 2001,
      end_year: null,
      runtime_minutes: 122,
      genres: ['Comedy'],
      average_rating: 8.3,
      num_votes: 800_000,
      episode_count: null,
      season_count: null,
    })
    .execute();
}

export function subscribeRequest(email: string, change: Partial<SubscribeRequest> = {}): SubscribeRequest {
  return {
    email,
    liked: [FILMS.godfather.tconst, FILMS.amelie.tconst],
    disliked: [FILMS.pulpFiction.tconst],
    preferences: { alerts: true, digest: true, versions: ['VOST'] },
    consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: true },
    source: 'page',
    ...change,
  };
}

export interface NotifierSuite {
  t: TestDatabase;
  smtp: SmtpHarness;
  notifier: RunningNotifier;
  /** Every log line written so far (to check no address or token is in any). */
  lines: string[];
  clock: { now: Date };
  /** Resolves when the in-process queue has run every job asked for so far. */
  idle(): Promise<void>;
}

/**
 * The notifier on a database of its own (real migrations), sending through its real sender to a
 * real SMTP server, its jobs on the in-process queue, its clock the test's to move.
 */
export function notifierSuite(): NotifierSuite {
  const suite = { clock: { now: new Date('2026-12-07T10:00:00Z') } } as NotifierSuite;
  beforeAll(async () => {
    suite.t = await createTestDatabase();
    await insertFilms(suite.t.handle);
    suite.smtp = await startSmtpServer();
    const { logger, lines } = captureLogger();
    suite.lines = lines;
    suite.notifier = await startNotifier({
      handle: suite.t.handle,
      log: logger,
      clock: () => suite.clock.now,
      config: testNotifierConfig({ smtpUrl: suite.smtp.url }),
    });
    suite.idle = () => (suite.notifier.queue as InProcessNotifyQueue).idle();
  });
  afterAll(async () => {
    await suite.notifier?.close();
    await suite.smtp?.close();
    await suite.t?.drop();
  });
  return suite;
}

/** The token at the end of a link (`…#token`, `…/u/token`). */
export function tokenOf(url: string): string {
  const match = /[#/]([A-Za-z0-9_-]{43})$/.exec(url);
  if (!match) throw new Error('no token at the end of the link');
  return match[1]!;
}
