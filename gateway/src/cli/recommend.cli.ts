import { ConfigError, RECOMMEND_K_MAX } from '@cine/common';
import { readCommandLine } from './command-line';
import { loadRecommendCliConfig } from './config';
import { GatewayApi, GatewayRefusedError, GatewayUnreachableError } from './gateway-api.repository';
import { formatRecommendations } from './recommend-table';

const USAGE = `Usage: npm run recommend -- "<titre ou tconst>" [...] [--k 10] [--disliked "<titre>"] [--json]

  Films que vous aimerez, d'après ceux que vous avez aimés (titres en français ou en anglais,
  fautes de frappe pardonnées, ou identifiants IMDb comme tt0068646).

  --k N          nombre de films (1 à ${RECOMMEND_K_MAX}, 10 par défaut)
  --disliked T   un film que vous n'avez pas aimé (répétable)
  --json         la réponse complète de l'API en JSON
  GATEWAY_URL    adresse de la passerelle (http://127.0.0.1:8080 par défaut)

Exemple : npm run recommend -- "le parrain" "amelie" --k 5`;

/** Exit codes: 0 answered, 1 the gateway is away or failed, 2 bad usage or a refused request. */
async function main(argv: string[]): Promise<number> {
  const line = readCommandLine(argv, { k: { type: 'string' }, disliked: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } }, USAGE);
  if (line.kind === 'exit') return line.code;
  const { values, positionals } = line;
  const k = values.k === undefined ? 10 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > RECOMMEND_K_MAX) {
    process.stderr.write(`Erreur : --k doit être un entier de 1 à ${RECOMMEND_K_MAX} (reçu "${values.k}")\n`);
    return 2;
  }
  if (positionals.length === 0) process.stderr.write('(aucun film donné : films populaires et bien notés)\n');

  const config = loadRecommendCliConfig();
  const api = new GatewayApi(config.gatewayUrl, config.timeoutMs);
  try {
    const answer = await api.recommend({ liked: positionals, k, ...(values.disliked?.length ? { disliked: values.disliked } : {}) });
    process.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : formatRecommendations(answer, process.stdout.isTTY ? (process.stdout.columns ?? 100) : Number.POSITIVE_INFINITY));
    return 0;
  } catch (err) {
    if (err instanceof GatewayUnreachableError) {
      process.stderr.write(`Erreur : ${err.message}.\nLancez-la avec \`npm start\` (tout en un processus) ou \`npm run gateway\`, ou indiquez GATEWAY_URL.\n`);
      return 1;
    }
    if (err instanceof GatewayRefusedError) {
      const retry = err.retryAfterSeconds ? ` Réessayez dans ${err.retryAfterSeconds} s.` : '';
      process.stderr.write(`Erreur : la passerelle a répondu ${err.statusCode} : ${err.message}.${retry}\n`);
      return err.statusCode >= 500 ? 1 : 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`recommend: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
