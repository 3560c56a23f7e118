import { generatePassword, hashPassword, passwordProblem } from './password-hash';
import type { OwnerRepository } from './owner.repository';

/** A refusal the CLI shows as it is (exit code 2), in French like the CLI. */
export class OwnerAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnerAccountError';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `npm run owner`: add, remove, reset. A password is either chosen (checked) or generated. */
export class OwnerAccountService {
  constructor(private readonly owners: OwnerRepository) {}

  /** Returns the password the owner will type: the chosen one, or a generated one. */
  async add(email: string, chosen?: string): Promise<string> {
    const address = checkEmail(email);
    const password = checkPassword(chosen);
    if (!(await this.owners.create(address, await hashPassword(password)))) throw new OwnerAccountError('un compte du gérant existe déjà pour cette adresse (reset change son mot de passe)');
    return password;
  }

  async remove(email: string): Promise<void> {
    if (!(await this.owners.remove(checkEmail(email)))) throw new OwnerAccountError('aucun compte du gérant pour cette adresse');
  }

  /** A new password; the account's sessions end and its lock-out is lifted. */
  async reset(email: string, chosen?: string): Promise<string> {
    const address = checkEmail(email);
    const password = checkPassword(chosen);
    if (!(await this.owners.resetPassword(address, await hashPassword(password)))) throw new OwnerAccountError('aucun compte du gérant pour cette adresse');
    return password;
  }
}

function checkEmail(email: string): string {
  const address = email.trim();
  if (address.length < 3 || address.length > 254 || !EMAIL.test(address)) throw new OwnerAccountError("ce n'est pas une adresse e-mail");
  return address;
}

function checkPassword(chosen: string | undefined): string {
  if (chosen === undefined) return generatePassword();
  const problem = passwordProblem(chosen);
  if (problem !== null) throw new OwnerAccountError(problem);
  return chosen;
}
