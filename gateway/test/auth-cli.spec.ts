import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runToEnd } from '@cine/common/testing';
import { lockEmbeddedDirectory } from '@cine/db/embedded-lock';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type AuthGateway, login, sessionCookie, startAuthGateway } from './auth-harness';

const REPO_ROOT = resolve(__dirname, '../..');
const CLI = resolve(REPO_ROOT, 'gateway/src/auth/owner.cli.ts');
const EMAIL = 'gerante@cinema-creuse.example';

/** `npm run owner -- …` as the operator runs it: its own process, through tsx. */
function owner(args: string[], env: Record<string, string | undefined>, input?: string) {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return runToEnd(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env: { ...rest, ...env }, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
}

describe('npm run owner: the owner accounts, from the command line', () => {
  let t: TestDatabase;
  let gw: AuthGateway;
  let env: Record<string, string>;
  /** The session the first password opened: a reset ends it. */
  let firstSession: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    env = { DATABASE_URL: t.url! };
    gw = await startAuthGateway(t.handle);
  });
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it('adds an account and prints a one-time password that logs in; the hash is scrypt; the password is in no log', async () => {
    const added = await owner(['add', EMAIL], env);
    expect([added.code, added.stderr]).toEqual([0, '']);
    const password = /Mot de passe \(affiché une seule fois[^)]*\) : (\S+)\n/.exec(added.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const row = await t.handle.db.selectFrom('owner_account').select(['email', 'password_hash']).executeTakeFirstOrThrow();
    expect(row.email).toBe(EMAIL);
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(row.password_hash).not.toContain(password);

    const res = await login(gw.app, EMAIL, password!);
    expect([res.statusCode, res.json<{ email: string }>().email]).toEqual([200, EMAIL]);
    firstSession = sessionCookie(res)!;
    expect(gw.logs()).not.toContain(password);
    expect(gw.logs()).not.toContain(EMAIL);

    const again = await owner(['add', EMAIL.toUpperCase()], env);
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/existe déjà/)]);
  });

  it('resets with a password read from stdin (12 characters at least): the old one and its sessions stop working', async () => {
    const chosen = 'la dernière séance à 21 h';
    const before = await login(gw.app, EMAIL, chosen);
    expect(before.statusCode).toBe(401);
    const short = await owner(['reset', EMAIL, '--password-stdin'], env, 'trop court\n');
    expect([short.code, short.stderr]).toEqual([2, expect.stringMatching(/au moins 12 caractères/)]);
    expect(short.stderr).not.toContain('trop court');

    const reset = await owner(['reset', EMAIL, '--password-stdin'], env, `${chosen}\n`);
    expect([reset.code, reset.stderr]).toEqual([0, '']);
    expect(reset.stdout).not.toContain(chosen);
    expect((await login(gw.app, EMAIL, chosen)).statusCode).toBe(200);
    expect((await gw.app.inject({ url: '/api/v1/auth/me', cookies: { cine_owner: firstSession } })).statusCode).toBe(401);
  });

  it('removes an account: it logs in no more; removing it twice says so', async () => {
    const removed = await owner(['remove', EMAIL], env);
    expect(removed.code).toBe(0);
    expect((await login(gw.app, EMAIL, 'la dernière séance à 21 h')).statusCode).toBe(401);
    const twice = await owner(['remove', EMAIL], env);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringMatching(/aucun compte/)]);
  });

  // Which arguments are refused is owner-command.spec.ts's (in-process); here, that a refusal ends
  // the process with exit 2 and the usage, and that an address the service refuses does too.
  it('refuses bad usage with the usage text (exit 2)', async () => {
    const none = await owner([], env);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toMatch(/^Usage: npm run owner -- add <email>/);
    const notAnEmail = await owner(['add', 'not-an-email'], env);
    expect(notAnEmail.code).toBe(2);
  });

  it('says clearly that npm start holds the embedded database, and touches nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'owner-cli-'));
    mkdirSync(join(dataDir, 'pglite'));
    const release = lockEmbeddedDirectory(join(dataDir, 'pglite'), 'npm start');
    try {
      const run = await owner(['add', EMAIL], { DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`ouverte par le processus ${process.pid} (npm start)`);
      expect(run.stdout).not.toMatch(/Mot de passe/);
    } finally {
      release();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
