import { createHash } from 'node:crypto';
import { emailHash, parseFrom } from './mail.sender';

describe('the sender’s small rules', () => {
  it('hashes an address the way the suppression list keys it: trimmed, lower case, SHA-256', () => {
    expect(emailHash('  Jeanne.Martin@Example.TEST ').equals(emailHash('jeanne.martin@example.test'))).toBe(true);
    expect(emailHash(' A@Example.test').toString('hex')).toBe(createHash('sha256').update('a@example.test').digest('hex'));
  });

  it('reads MAIL_FROM with or without a display name; the cinema’s name when there is none', () => {
    expect(parseFrom('"Ciné Creuse" <programme@cine-creuse.fr>', 'X')).toEqual({ name: 'Ciné Creuse', address: 'programme@cine-creuse.fr' });
    expect(parseFrom('Ciné Creuse <programme@cine-creuse.fr>', 'X')).toEqual({ name: 'Ciné Creuse', address: 'programme@cine-creuse.fr' });
    expect(parseFrom('programme@cine-creuse.fr', 'Ciné Creuse')).toEqual({ name: 'Ciné Creuse', address: 'programme@cine-creuse.fr' });
  });
});
