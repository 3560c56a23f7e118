import { parseArgs } from 'node:util';
import { ConfigError } from '@cine/common';
import { DatabaseInUseError, type DbHandle, migrateToLatest, openDatabase } from '@cine/db';
import { loadOwnerCliConfig } from './owner-cli.config';
import { OwnerAccountError, OwnerAccountService } from './owner-account.service';
import { OwnerRepository } from './owner.repository';
import { MIN_PASSWORD_LENGTH } from './password-hash';

const USAGE = `Usage: npm run owner -- add <email> [--password-stdin]
       npm run owner -- reset <email> [--password-stdin]
       npm run owner -- remove <email>

  Les comptes du gérant, qui se connecte sur /gestion pour tenir le programme.

  add               crée le compte et affiche un mot de passe tiré au hasard, une seule fois
  reset             un nouveau mot de passe ; les sessions ouvertes sont fermées, le blocage levé
  remove            supprime le compte et ses sessions
  --password-stdin  lit le mot de passe choisi sur l'entrée standard (${MIN_PASSWORD_LENGTH} caractères au moins)
  DATABASE_URL      le serveur PostgreSQL ; sans lui, la base intégrée de DATA_DIR (.data), celle de npm start

Exemple : npm run owner -- add gerant@cinema-creuse.fr`;

/** Exit codes: 0 done, 1 the database could not be opened or failed, 2 bad usage or a refusal. */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'password-stdin': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, email, ...extra] = positionals;
  if (!command || !['add', 'reset', 'remove'].includes(command) || !email || extra.length > 0 || (command === 'remove' && values['password-stdin'])) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const chosen = values['password-stdin'] ? await readPassword() : undefined;

  const config = loadOwnerCliConfig();
  let handle: DbHandle;
  try {
    handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, maxConnections: 1, applicationName: 'npm run owner' });
  } catch (err) {
    if (err instanceof DatabaseInUseError) {
      process.stderr.write(
        `Erreur : la base intégrée (${config.pgliteDir}) est ouverte par le processus ${err.holderPid}${err.holderName ? ` (${err.holderName})` : ''}, sans doute npm start.\n` +
          'Arrêtez-le le temps de cette commande, puis relancez-le ; ou indiquez DATABASE_URL si le service tourne sur PostgreSQL.\n',
      );
      return 1;
    }
    throw err;
  }
  try {
    // The embedded database is this process's alone now: bring its schema up to date, as npm start would.
    // A PostgreSQL server is migrated by its own one-shot (npm run migrate), never behind the operator's back.
    if (handle.backend === 'pglite') await migrateToLatest(handle.db);
    const accounts = new OwnerAccountService(new OwnerRepository(handle));
    if (command === 'remove') {
      await accounts.remove(email);
      process.stdout.write('Compte supprimé.\n');
      return 0;
    }
    const password = command === 'add' ? await accounts.add(email, chosen) : await accounts.reset(email, chosen);
    process.stdout.write(command === 'add' ? 'Compte créé.\n' : 'Mot de passe changé ; les sessions ouvertes sont fermées.\n');
    if (chosen === undefined) {
      process.stdout.write(`Mot de passe (affiché une seule fois, à transmettre au gérant) : ${password}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof OwnerAccountError) {
      process.stderr.write(`Erreur : ${err.message}\n`);
      return 2;
    }
    if (handle.backend === 'postgres' && /owner_account.*does not exist/.test(err instanceof Error ? err.message : '')) {
      process.stderr.write('Erreur : la base n\'a pas encore les tables du programme : lancez npm run migrate.\n');
      return 1;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

/** The whole of standard input, less one final line break (what `echo` or a here-string adds). */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`owner: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);

