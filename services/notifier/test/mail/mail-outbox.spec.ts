import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailSender } from '../../src/mail/mail.sender';
import { checkDkim } from './dkim-verify';
import { alertView, CONFIRM_URL, IDENTITY, outgoing, rawHeader, UNSUBSCRIBE_URL } from './mail-fixtures';
import { captureLogger, MemorySuppressionList } from './smtp-harness';

/**
 * With no SMTP_URL (the embedded `npm start`), every email is an `.eml` file in DATA_DIR/outbox:
 * whole files, named so they sort in the order they were sent, that a mail reader opens.
 */

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'notifier-outbox-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it('writes each email as a readable .eml file, in the order sent, with no address in its name and nothing half-written', async () => {
  const outboxDir = join(dataDir, 'outbox');
  const suppression = new MemorySuppressionList();
  const sender = createMailSender({ identity: IDENTITY, outboxDir, ratePerMinute: 6_000 }, { suppression, logger: captureLogger().logger });
  const subjects: string[] = [];
  try {
    for (const [i, view] of [{ kind: 'confirmation', confirmUrl: CONFIRM_URL } as const, alertView(), { kind: 'confirmation', confirmUrl: CONFIRM_URL } as const].entries()) {
      const mail = outgoing(view, `essai${i}@example.test`, `${view.kind}:sub-${i}`);
      mail.subject = `${i} ${mail.subject}`;
      subjects.push(mail.subject);
      expect((await sender.send(mail)).outcome).toBe('sent');
    }
  } finally {
    await sender.close();
  }

  const files = await readdir(outboxDir);
  expect(files).toHaveLength(3);
  expect(files.every((f) => /^\d{8}T\d{9}Z-\d{6}-[0-9a-f]{12}\.eml$/.test(f))).toBe(true);
  expect(files.some((f) => f.includes('essai') || f.includes('example'))).toBe(false);
  const parsed = await Promise.all([...files].sort().map(async (f) => simpleParser(await readFile(join(outboxDir, f)))));
  expect(parsed.map((p) => p.subject)).toEqual(subjects);
  expect(parsed.map((p) => (p.to && !Array.isArray(p.to) ? p.to.value[0]?.address : null))).toEqual(['essai0@example.test', 'essai1@example.test', 'essai2@example.test']);
  expect(parsed[1]!.text).toContain('Samedi 24 octobre à 20:30');
  expect(parsed[1]!.html).toContain('<html lang="fr"');
  expect(parsed[0]!.text).toContain(CONFIRM_URL);
  // The customer's data: the owner alone reads the files.
  expect((await stat(join(outboxDir, files[0]!))).mode & 0o077).toBe(0);
});

it('an .eml file is the message a relay would get: its headers and DKIM signature included', async () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const outboxDir = join(dataDir, 'outbox');
  const sender = createMailSender(
    { identity: IDENTITY, outboxDir, ratePerMinute: 6_000, dkim: { domainName: 'cine-creuse.test', keySelector: 'essai', privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } },
    { suppression: new MemorySuppressionList(), logger: captureLogger().logger },
  );
  try {
    await sender.send(outgoing(alertView(), 'dkim@example.test', 'alert:sub-dkim:tt0060196'));
  } finally {
    await sender.close();
  }

  const [file] = await readdir(outboxDir);
  const raw = await readFile(join(outboxDir, file!));
  expect(rawHeader(raw, 'List-Unsubscribe')).toBe(`<${UNSUBSCRIBE_URL}>`);
  expect(rawHeader(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const check = checkDkim(raw, pair.publicKey);
  expect(check.signedHeaders).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
  expect(check.bodyHashMatches).toBe(true);
  expect(check.signatureVerifies).toBe(true);
});
