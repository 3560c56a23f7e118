import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { Logger } from '@cine/common';
import { until } from '@cine/common/testing';
import { MailTemporaryFailure } from '../../src/mail/mail.contract';
import { emailHash, TransportMailSender, type RetryPolicy } from '../../src/mail/mail.sender';
import type { DkimKey } from '../../src/mail/mail.transport';
import { createMailTransport } from '../../src/mail/transports';
import { SendRate } from '../../src/mail/send-rate';
import { checkDkim } from './dkim-verify';
import { alertView, clockChangeFilm, CONFIRM_URL, IDENTITY, MANAGE_URL, outgoing, rawHeader, UNSUBSCRIBE_URL } from './mail-fixtures';
import { captureLogger, MemorySuppressionList, type SmtpHarness, startSmtpServer } from './smtp-harness';

/**
 * The sender against a real SMTP server started here: what arrives (parts, headers, DKIM), and
 * what a relay's answers do (451 retried and delivered once, 550 suppresses at the first refusal,
 * a suppressed address never reaches the relay, the send rate spaces sends).
 */

const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 };

let smtp: SmtpHarness;
let suppression: MemorySuppressionList;
let log: { logger: Logger; lines: string[] };
const senders: TransportMailSender[] = [];

function sender(opts: { dkim?: DkimKey; rate?: SendRate; retry?: Partial<RetryPolicy>; smtpUrl?: string } = {}): TransportMailSender {
  const transport = createMailTransport({ smtpUrl: opts.smtpUrl ?? smtp.url, outboxDir: '/nonexistent', dkim: opts.dkim ?? null, timeouts: { connectionMs: 10_000 } });
  const s = new TransportMailSender({ identity: IDENTITY, transport, suppression, logger: log.logger, rate: opts.rate ?? new SendRate(60_000), retry: { ...FAST_RETRY, ...opts.retry } });
  senders.push(s);
  return s;
}

beforeEach(async () => {
  smtp = await startSmtpServer();
  suppression = new MemorySuppressionList();
  log = captureLogger();
});

afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
  await smtp.close();
});

describe('what arrives', () => {
  it('an alert: text and HTML parts, the cinema as sender, one-click unsubscribe headers, a Message-ID from its key', async () => {
    const mail = outgoing(alertView(), 'Jeanne.Martin@example.test', 'alert:sub-1:tt0060196');
    const result = await sender().send(mail);

    expect(result.outcome).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    const [got] = smtp.received;
    expect(got!.recipients).toEqual(['Jeanne.Martin@example.test']);
    expect(got!.envelopeFrom).toBe('programme@cine-creuse.test');
    expect(got!.parsed.from?.value).toEqual([{ address: 'programme@cine-creuse.test', name: 'Ciné Creuse' }]);
    expect(got!.parsed.subject).toBe('Un film pour vous à Ciné Creuse : Le Bon, la Brute et le Truand');
    expect(got!.parsed.text).toContain('Pourquoi ce film ? Même réalisateur : Sergio Leone');
    expect(got!.parsed.text).toContain('Samedi 24 octobre à 20:30, Grande salle, VF (en français), audiodescription (AD)');
    expect(got!.parsed.text).toContain('Lundi 26 octobre à 20:30, salle 2, VOST');
    expect(got!.parsed.html).toContain('<html lang="fr"');
    expect(got!.parsed.html).toContain(`href="${UNSUBSCRIBE_URL}"`);

    expect(rawHeader(got!.raw, 'List-Unsubscribe')).toBe(`<${UNSUBSCRIBE_URL}>`);
    expect(rawHeader(got!.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(got!.raw, 'Auto-Submitted')).toBe('auto-generated');
    expect(rawHeader(got!.raw, 'Sender')).toBeNull();
    expect(result.outcome === 'sent' && result.messageId).toBe(got!.parsed.messageId);
    expect(got!.parsed.messageId).toMatch(/^<[0-9a-f]{40}@cine-creuse\.test>$/);
    // Nothing of the key, the address or the tokens shows in the id or the logs.
    expect(got!.parsed.messageId).not.toContain('sub-1');
    const logs = log.lines.join('\n');
    expect(logs).toContain('"kind":"alert"');
    for (const secret of ['Jeanne', 'jeanne', 'example.test', 'unsubscribe-token', 'manage-token', 'sub-1']) expect(logs).not.toContain(secret);
  });

  it('a confirmation carries no List-Unsubscribe (it is not a list) and links to the confirm page', async () => {
    await sender().send(outgoing({ kind: 'confirmation', confirmUrl: CONFIRM_URL }, 'new@example.test', 'confirmation:sub-2'));

    const [got] = smtp.received;
    expect(rawHeader(got!.raw, 'List-Unsubscribe')).toBeNull();
    expect(rawHeader(got!.raw, 'List-Unsubscribe-Post')).toBeNull();
    expect(got!.parsed.text).toContain(CONFIRM_URL);
    expect(got!.parsed.html).toContain(`href="${CONFIRM_URL}"`);
    expect(got!.parsed.html).not.toContain(MANAGE_URL);
  });

  it('the same key sent twice carries the same Message-ID; another key another one', async () => {
    const s = sender();
    await s.send(outgoing(alertView(), 'a@example.test', 'alert:sub-3:tt0060196'));
    await s.send(outgoing(alertView(), 'a@example.test', 'alert:sub-3:tt0060196'));
    await s.send(outgoing(alertView(), 'a@example.test', 'alert:sub-3:tt0000001'));

    const ids = smtp.received.map((r) => r.parsed.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('a title with <script> arrives escaped in the HTML part', async () => {
    await sender().send(outgoing(alertView(clockChangeFilm({ title: 'Évasion <script>alert(1)</script>' })), 'b@example.test', 'alert:sub-4:tt1'));

    const html = smtp.received[0]!.parsed.html as string;
    expect(html).not.toContain('<script');
    expect(html).toContain('Évasion &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('DKIM', () => {
  let keys: { privateKey: string; publicKey: KeyObject; other: KeyObject };

  beforeAll(() => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: pair.publicKey,
      other: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
    };
  });

  it('signs with the test key; h= covers List-Unsubscribe and List-Unsubscribe-Post; the signature and body hash verify', async () => {
    await sender({ dkim: { domainName: 'cine-creuse.test', keySelector: 'mail2026', privateKey: keys.privateKey } }).send(outgoing(alertView(), 'c@example.test', 'alert:sub-5:tt0060196'));

    const check = checkDkim(smtp.received[0]!.raw, keys.publicKey);
    expect(check.tags.d).toBe('cine-creuse.test');
    expect(check.tags.s).toBe('mail2026');
    expect(check.tags.a).toBe('rsa-sha256');
    expect(check.signedHeaders).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post', 'auto-submitted']));
    expect(check.bodyHashMatches).toBe(true);
    expect(check.signatureVerifies).toBe(true);
    // The check can fail: another key does not verify it.
    expect(checkDkim(smtp.received[0]!.raw, keys.other).signatureVerifies).toBe(false);
    // A relay or a forwarder that changed the one-click link would break the signature.
    const tampered = Buffer.from(smtp.received[0]!.raw.toString('latin1').replace('unsubscribe-token-0123', 'unsubscribe-token-9999'), 'latin1');
    expect(rawHeader(tampered, 'List-Unsubscribe')).toContain('unsubscribe-token-9999');
    expect(checkDkim(tampered, keys.publicKey).signatureVerifies).toBe(false);
  });

  it('refuses, at construction, a key nodemailer would silently not sign with', () => {
    expect(() => createMailTransport({ smtpUrl: smtp.url, outboxDir: '/nonexistent', dkim: { domainName: 'd.test', keySelector: 's', privateKey: 'not a key' } })).toThrow(/DKIM private key/);
  });
});

describe('what the relay answers', () => {
  it('a 451 answered twice, then accepted: delivered exactly once after three RCPT attempts', async () => {
    smtp.answerRcpt((_address, attempt) => (attempt <= 2 ? { code: 451, message: '4.7.1 Greylisted, try again later' } : null));

    const result = await sender().send(outgoing(alertView(), 'grey@example.test', 'alert:sub-6:tt0060196'));

    expect(result.outcome).toBe('sent');
    expect(smtp.rcptTo).toEqual(['grey@example.test', 'grey@example.test', 'grey@example.test']);
    expect(smtp.received).toHaveLength(1);
    expect(suppression.suppressed).toEqual([]);
  });

  it('a 451 every time: MailTemporaryFailure after the bounded attempts, the address kept', async () => {
    smtp.answerRcpt(() => ({ code: 451, message: '4.3.0 Try later' }));

    const failure = await sender({ retry: { attempts: 3 } })
      .send(outgoing(alertView(), 'busy@example.test', 'alert:sub-7:tt0060196'))
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(MailTemporaryFailure);
    expect((failure as MailTemporaryFailure).code).toBe(451);
    expect((failure as Error).message).not.toContain('busy@');
    expect(smtp.rcptTo).toHaveLength(3);
    expect(smtp.received).toHaveLength(0);
    expect(suppression.suppressed).toEqual([]);
  });

  it('a 550: rejected with its code, the address suppressed (as a hash), one RCPT attempt, and the next email to it not sent', async () => {
    smtp.answerRcpt(() => ({ code: 550, message: '5.1.1 <Dead.Box@example.test>: mailbox unavailable' }));
    const s = sender();

    const result = await s.send(outgoing(alertView(), 'Dead.Box@example.test', 'alert:sub-8:tt0060196'));

    expect(result).toEqual({ outcome: 'rejected', code: 550 });
    expect(smtp.rcptTo).toEqual(['Dead.Box@example.test']);
    expect(suppression.suppressed).toEqual([{ hash: emailHash(' dead.box@EXAMPLE.test ').toString('hex'), reason: 'bounced' }]);
    expect(log.lines.join('\n')).not.toMatch(/dead\.box/i);

    const again = await s.send(outgoing(alertView(), 'dead.box@example.test', 'digest:sub-8:2026-10-21'));
    expect(again).toEqual({ outcome: 'suppressed' });
    expect(smtp.rcptTo).toHaveLength(1);
  });

  it('a suppressed address is checked before sending: nothing reaches the relay', async () => {
    await suppression.suppress(emailHash('gone@example.test'), 'bounced');

    const result = await sender().send(outgoing(alertView(), '  Gone@Example.test ', 'alert:sub-9:tt0060196'));

    expect(result).toEqual({ outcome: 'suppressed' });
    expect(suppression.reads).toBe(1);
    expect(smtp.mailFrom).toEqual([]);
    expect(smtp.rcptTo).toEqual([]);
  });

  it('no relay listening: retried, then MailTemporaryFailure without an SMTP code', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });

    const failure = await sender({ smtpUrl: `smtp://127.0.0.1:${closedPort}`, retry: { attempts: 2 } })
      .send(outgoing(alertView(), 'x@example.test', 'alert:sub-10:tt0060196'))
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(MailTemporaryFailure);
    expect((failure as MailTemporaryFailure).code).toBeNull();
    expect(log.lines.filter((l) => l.includes('trying again'))).toHaveLength(1);
  });
});

describe('the send rate', () => {
  it('spaces the sends of every caller: 4 at once at 240 a minute (burst 1) take at least three intervals', async () => {
    const s = sender({ rate: new SendRate(240, 1) });
    const started = performance.now();

    const results = await Promise.all([1, 2, 3, 4].map((i) => s.send(outgoing(alertView(), `r${i}@example.test`, `alert:sub-r${i}:tt0060196`))));

    expect(results.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(smtp.received.map((r) => r.recipients[0]).sort()).toEqual(['r1@example.test', 'r2@example.test', 'r3@example.test', 'r4@example.test']);
    // A lower bound only: a loaded machine makes the span longer, never shorter.
    const last = Math.max(...smtp.received.map((r) => r.at));
    expect(last - started).toBeGreaterThanOrEqual(3 * 250 - 5);
  });
});

describe('closing', () => {
  it('close() while sends wait their turn: those already handed over arrive, the others fail as temporary at once, none hangs', async () => {
    // One send every 2 s: the second and third still wait their turn when close() comes.
    const s = sender({ rate: new SendRate(30, 1) });
    const sends = [1, 2, 3].map((i) =>
      s.send(outgoing(alertView(), `z${i}@example.test`, `alert:sub-z${i}:tt0060196`)).then(
        (r) => r.outcome,
        (e: unknown) => e,
      ),
    );
    await until('the first email at the relay', () => smtp.received.length === 1);
    await s.close();

    const outcomes = await Promise.all(sends);
    expect(outcomes[0]).toBe('sent');
    const failures = outcomes.filter((o) => o instanceof MailTemporaryFailure);
    expect(failures.length + outcomes.filter((o) => o === 'sent').length).toBe(3);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(log.lines.filter((l) => l.includes('trying again'))).toHaveLength(0);
    await expect(s.send(outgoing(alertView(), 'late@example.test', 'alert:late'))).rejects.toThrow(/closed/);
  });
});
