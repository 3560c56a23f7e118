import { processOutput, readCommandLine, type UsageOutput } from '../cli/command-line';
import { MIN_PASSWORD_LENGTH } from './password-hash';

export const OWNER_USAGE = `Usage: npm run owner -- add <email> [--password-stdin]
       npm run owner -- reset <email> [--password-stdin]
       npm run owner -- remove <email>

  Les comptes du gérant, qui se connecte sur /gestion pour tenir le programme.

  add               crée le compte et affiche un mot de passe tiré au hasard, une seule fois
  reset             un nouveau mot de passe ; les sessions ouvertes sont fermées, le blocage levé
  remove            supprime le compte et ses sessions
  --password-stdin  lit le mot de passe choisi sur l'entrée standard (${MIN_PASSWORD_LENGTH} caractères au moins)
  DATABASE_URL      le serveur PostgreSQL ; sans lui, la base intégrée de DATA_DIR (.data), celle de npm start

Exemple : npm run owner -- add gerant@cinema-creuse.fr`;

/** What `npm run owner -- …` is asked to do, or the exit code of a refusal (2, the usage printed) or of `--help` (0). */
export type OwnerCommand =
  | { readonly kind: 'run'; readonly command: 'add' | 'reset' | 'remove'; readonly email: string; readonly passwordStdin: boolean }
  | { readonly kind: 'exit'; readonly code: 0 | 2 };

const COMMANDS = ['add', 'reset', 'remove'] as const;

/** Reads the owner CLI's arguments: one command, one address, `--password-stdin` only where a password is set. */
export function readOwnerCommand(argv: string[], output: UsageOutput = processOutput): OwnerCommand {
  const line = readCommandLine(argv, { 'password-stdin': { type: 'boolean', default: false } }, OWNER_USAGE, output);
  if (line.kind === 'exit') return line;
  const [command, email, ...extra] = line.positionals;
  const passwordStdin = line.values['password-stdin'] === true;
  const known = COMMANDS.find((c) => c === command);
  if (!known || !email || extra.length > 0 || (known === 'remove' && passwordStdin)) {
    output.err(`${OWNER_USAGE}\n`);
    return { kind: 'exit', code: 2 };
  }
  return { kind: 'run', command: known, email, passwordStdin };
}
