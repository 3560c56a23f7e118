import { decodeHash, DEFAULT_SCRYPT, generatePassword, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './password-hash';

/** Cheap parameters for the cases that are not about the cost. */
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hash (scrypt)', () => {
  it('encodes scrypt$N$r$p$salt$hash with the default cost (N 2^15, r 8, p 1) and a 16-byte salt', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, key] = encoded.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', DEFAULT_SCRYPT.N, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p]);
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(encoded).not.toContain('horse');
    await expect(verifyPassword('correct horse battery staple', encoded)).resolves.toBe(true);
  });

  it('refuses another password, a one-character change, the empty one', async () => {
    const encoded = await hashPassword('correct horse battery staple', FAST);
    for (const wrong of ['correct horse battery stapl', 'Correct horse battery staple', 'correct horse battery staple ', '']) {
      await expect(verifyPassword(wrong, encoded)).resolves.toBe(false);
    }
  });

  it('salts: the same password twice gives two hashes, both verifying', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here', FAST), hashPassword('same password here', FAST)]);
    expect(a).not.toEqual(b);
    await expect(verifyPassword('same password here', a)).resolves.toBe(true);
    await expect(verifyPassword('same password here', b)).resolves.toBe(true);
  });

  it('verifies with the cost written in the hash, not the current default', async () => {
    const old = await hashPassword('an older password', { N: 2 ** 11, r: 4, p: 2 });
    expect(decodeHash(old)?.params).toEqual({ N: 2 ** 11, r: 4, p: 2 });
    await expect(verifyPassword('an older password', old)).resolves.toBe(true);
  });

  it('treats a malformed or absurd hash as a mismatch, never computing it', async () => {
    const good = await hashPassword('whatever password', FAST);
    const salt = good.split('$')[4];
    const key = good.split('$')[5];
    for (const bad of ['', 'plain', 'bcrypt$2b$10$abc', `scrypt$1000$8$1$${salt}$${key}`, `scrypt$${2 ** 30}$8$1$${salt}$${key}`, `scrypt$1024$8$1$$${key}`, good.slice(0, -30)]) {
      expect(decodeHash(bad)).toBeNull();
      await expect(verifyPassword('whatever password', bad)).resolves.toBe(false);
    }
  });

  it('normalises Unicode: an é typed composed or decomposed is the same password', async () => {
    const encoded = await hashPassword('Cin\u00e9 Creuse 2026', FAST);
    await expect(verifyPassword('Cine\u0301 Creuse 2026', encoded)).resolves.toBe(true);
  });

  it('generates long passwords from an alphabet without look-alikes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      expect(passwordProblem(password)).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });

  it(`refuses a chosen password under ${MIN_PASSWORD_LENGTH} characters (counted as characters, not bytes) or with spaces around`, () => {
    expect(passwordProblem('a'.repeat(MIN_PASSWORD_LENGTH - 1))).toMatch(/au moins 12/);
    expect(passwordProblem('é'.repeat(MIN_PASSWORD_LENGTH - 1))).toMatch(/au moins 12/);
    expect(passwordProblem(' twelve chars ok')).toMatch(/espace/);
    expect(passwordProblem('a'.repeat(MIN_PASSWORD_LENGTH))).toBeNull();
    expect(passwordProblem('é'.repeat(MIN_PASSWORD_LENGTH))).toBeNull();
  });
});
