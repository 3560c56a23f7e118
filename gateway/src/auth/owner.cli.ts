import { ConfigError } from '@cine/common';
import { DatabaseInUseError, type DbHandle, migrateToLatest, openDatabase } from '@cine/db';
import { loadOwnerCliConfig } from './owner-cli.config';
import { OwnerAccountError, OwnerAccountService } from './owner-account.service';
import { OwnerRepository } from './owner.repository';
import { readOwnerCommand } from './owner-command';

/** Exit codes: 0 done, 1 the database could not be opened or failed, 2 bad usage or a refusal. */
async function main(argv: string[]): Promise<number> {
  const line = readOwnerCommand(argv);
  if (line.kind === 'exit') return line.code;
  const { command, email } = line;
  const chosen = line.passwordStdin ? await readPassword() : undefined;

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

