import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createLogger, type MatchedFilm } from '@cine/common';
import type { DbHandle } from '@cine/db';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { composeMail, createMailSender, type MailIdentity } from '../src/mail';
import { addDays, cinemaWeekOf } from '../src/matching/cinema-time';
import type { ProgrammedFilm, TasteScores } from '../src/matching/matching.contract';
import { buildDigest, digestKey } from '../src/matching/matching.rules';
import { SuppressionListAdapter } from '../src/notification/suppression.repository';
import { SubscriptionRepository } from '../src/subscription/subscription.repository';
import { seeded } from './matching-bench';

/**
 * bench:notify's digest half: N digests into a local SMTP server (`smtp-server`, counting what it
 * accepts) through the notifier's real path — the matching rules' digest, the mail module's
 * composition (text and HTML), its sender (the suppression list read in Postgres before each
 * send, its send rate, its pooled nodemailer transport) — against a bare nodemailer pool sending
 * one ready-made digest over and over to the same server, in the same run. Both with the pool's
 * 3 connections and 3 sends in flight.
 */

const IDENTITY: MailIdentity = {
  cinemaName: 'Ciné Creuse',
  cinemaAddress: '1 place du Marché, 23000 Guéret',
  from: '"Ciné Creuse" <programme@cine-creuse.example>',
  publicBaseUrl: 'https://cine-creuse.example',
  timeZone: 'Europe/Paris',
};
const IN_FLIGHT = 3;

/** A week of 12 films, 4 séances each, in the week after `now`. */
function weekProgramme(now: Date): { week: string; films: ProgrammedFilm[] } {
  const week = addDays(cinemaWeekOf(now), 7);
  const random = seeded(42);
  const films = Array.from({ length: 12 }, (_, f) => ({
    tconst: `tt${String(9_000_000 + f).padStart(8, '0')}`,
    title: `Le film numéro ${f + 1} de la semaine`,
    year: 2026,
    posterUrl: `${IDENTITY.publicBaseUrl}/posters/tt${9_000_000 + f}.jpg`,
    screenings: Array.from({ length: 4 }, (_, s) => {
      const day = addDays(week, (f + s * 2) % 7);
      const hour = [14, 16, 18, 20][s]!;
      return {
        id: `seance-${f}-${s}`,
        startsAt: `${day}T${String(hour - 1).padStart(2, '0')}:30:00Z`,
        room: random() < 0.5 ? 'Salle 1' : 'Salle 2',
        version: (random() < 0.3 ? 'VOST' : 'VF') as 'VF' | 'VOST',
        accessibility: { sme: random() < 0.3, ad: random() < 0.2 },
        status: 'scheduled' as const,
        icsUrl: `${IDENTITY.publicBaseUrl}/api/v1/screenings/seance-${f}-${s}.ics`,
        bookingUrl: null,
      };
    }),
  }));
  return { week, films };
}

interface CountingServer {
  url: string;
  port: number;
  accepted(): number;
  close(): Promise<void>;
}

/** An SMTP server that accepts everything and keeps nothing but a count. */
async function countingServer(): Promise<CountingServer> {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        accepted++;
        callback();
      });
      stream.resume();
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, port, accepted: () => accepted, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The process's resident memory, sampled while `work` runs: its peak, in MB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMb: peak / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

async function inFlight(count: number, send: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await send(next++);
    }),
  );
}

export interface DigestFigures {
  digests: number;
  /** The notifier's path: digest, composition, suppression read, sender (ms). */
  notifierMs: number;
  /** The bare nodemailer loop (ms). */
  bareMs: number;
  /** Peak RSS of the process during the notifier's run (MB). */
  peakRssMb: number;
  /** Size of one composed digest (bytes of text + HTML). */
  digestBytes: number;
  /** Messages the server accepted in each run. */
  accepted: { notifier: number; bare: number };
}

export async function runDigests(opts: { handle: DbHandle; digests: number; outboxDir: string; say?: (line: string) => void }): Promise<DigestFigures> {
  const say = opts.say ?? (() => {});
  const now = new Date();
  const { week, films } = weekProgramme(now);
  const server = await countingServer();
  const logger = createLogger('bench-digest', { level: 'silent' });
  const sender = createMailSender(
    // A rate far above what the run can reach: the bench measures the work, not the pace.
    { smtpUrl: server.url, outboxDir: opts.outboxDir, identity: IDENTITY, ratePerMinute: 60_000_000, maxConnections: IN_FLIGHT },
    { suppression: new SuppressionListAdapter(new SubscriptionRepository(opts.handle)), logger },
  );
  const bare = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: server.port, secure: false, maxConnections: IN_FLIGHT, maxMessages: 100, logger: false });
  const random = seeded(7);
  const digestOf = (i: number): MatchedFilm[] => {
    const scores: TasteScores = {
      subscriberId: `s${i}`,
      fitScore: null,
      films: films.map((f) => ({ tconst: f.tconst, score: random(), reason: { fr: 'Même réalisateur : Agnès Varda · Drame', en: 'Same director: Agnès Varda · Drama' }, reasons: [{ kind: 'director', values: ['Agnès Varda'] }] })),
    };
    return buildDigest({ taste: { subscriberId: `s${i}`, liked: [], disliked: [], preferences: { alerts: false, digest: true } }, scores, films }, { now });
  };
  const links = (i: number) => ({ manageUrl: `${IDENTITY.publicBaseUrl}/abonnement#manage-token-${i}`, unsubscribeUrl: `${IDENTITY.publicBaseUrl}/u/unsubscribe-token-${i}` });
  const sample = composeMail({ kind: 'digest', week, films: digestOf(0), ...links(0) }, IDENTITY);
  try {
    const notifierSend = async (i: number) => {
      const view = { kind: 'digest' as const, week, films: digestOf(i), ...links(i) };
      const mail = composeMail(view, IDENTITY);
      const result = await sender.send({ ...mail, to: `abonne${i}@example.org`, unsubscribeUrl: view.unsubscribeUrl, key: digestKey(`s${i}`, week) });
      if (result.outcome !== 'sent') throw new Error(`digest ${i}: ${result.outcome}`);
    };
    const bareSend = async (i: number) => {
      await bare.sendMail({ from: IDENTITY.from, to: `abonne${i}@example.org`, subject: sample.subject, text: sample.text, html: sample.html });
    };
    // Both paths warmed (connections open, code compiled) before either is timed.
    await inFlight(50, notifierSend);
    await inFlight(50, bareSend);

    say(`${opts.digests.toLocaleString('en-US')} digests through a bare nodemailer pool…`);
    let before = server.accepted();
    let started = performance.now();
    await inFlight(opts.digests, bareSend);
    const bareMs = performance.now() - started;
    const bareAccepted = server.accepted() - before;

    say(`${opts.digests.toLocaleString('en-US')} digests through the notifier's rules, composition and sender…`);
    before = server.accepted();
    started = performance.now();
    const { peakMb } = await withPeakRss(() => inFlight(opts.digests, notifierSend));
    const notifierMs = performance.now() - started;
    return {
      digests: opts.digests,
      notifierMs,
      bareMs,
      peakRssMb: peakMb,
      digestBytes: Buffer.byteLength(sample.text) + Buffer.byteLength(sample.html),
      accepted: { notifier: server.accepted() - before, bare: bareAccepted },
    };
  } finally {
    bare.close();
    await sender.close();
    await server.close();
  }
}
