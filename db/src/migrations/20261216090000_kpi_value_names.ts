import { type Kysely, sql } from 'kysely';

/**
 * `kpi.value_fr(dimension, value)`: a value of the rating lifts and programming hints
 * (`kpi.best_rated_lift`, `kpi.programming_hints`) as the owner reads it, as the report writes it
 * (`valueFr` in `analysis/src/report/french.ts`; a spec checks the two agree on every value the
 * views hold): a genre through `kpi.genre_fr`, a decade as « années 90 », a runtime band as
 * « 90 à 119 min », a country as « France », a language as « en français ». The Grafana panels
 * showed the codes (FR, fr, 90_119). An unknown value comes back as it is. IMMUTABLE; executable
 * by Grafana's read-only role. `kpi.dimension_fr(dimension)` names the dimension (« Pays de
 * production »).
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */

const READER_ROLE = 'cine_kpi_reader';

const RUNTIME_BANDS: ReadonlyArray<readonly [string, string]> = [
  ['under_90', 'moins de 90 min'],
  ['90_119', '90 à 119 min'],
  ['120_149', '120 à 149 min'],
  ['150_plus', '150 min et plus'],
];

const COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ['FR', 'France'], ['US', 'États-Unis'], ['GB', 'Royaume-Uni'], ['DE', 'Allemagne'], ['IT', 'Italie'], ['JP', 'Japon'],
  ['ES', 'Espagne'], ['IN', 'Inde'], ['CA', 'Canada'], ['BE', 'Belgique'], ['CH', 'Suisse'], ['NZ', 'Nouvelle-Zélande'],
  ['AU', 'Australie'], ['MX', 'Mexique'], ['SE', 'Suède'], ['DK', 'Danemark'], ['KR', 'Corée du Sud'], ['CN', 'Chine'],
  ['HK', 'Hong Kong'], ['RU', 'Russie'], ['SU', 'URSS'], ['BR', 'Brésil'], ['AR', 'Argentine'], ['IE', 'Irlande'],
];

const LANGUAGES: ReadonlyArray<readonly [string, string]> = [
  ['fr', 'français'], ['en', 'anglais'], ['de', 'allemand'], ['it', 'italien'], ['es', 'espagnol'], ['ja', 'japonais'],
  ['bn', 'bengali'], ['hi', 'hindi'], ['ko', 'coréen'], ['zh', 'chinois'], ['ru', 'russe'], ['sv', 'suédois'],
  ['da', 'danois'], ['pt', 'portugais'], ['cn', 'cantonais'], ['nl', 'néerlandais'],
];

const DIMENSIONS: ReadonlyArray<readonly [string, string]> = [
  ['genre', 'Genre'],
  ['decade', 'Décennie'],
  ['runtime_band', 'Durée'],
  ['country', 'Pays de production'],
  ['language', 'Langue originale'],
];

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const cases = (pairs: ReadonlyArray<readonly [string, string]>, map: (fr: string) => string = literal) => pairs.map(([code, fr]) => `WHEN ${literal(code)} THEN ${map(fr)}`).join(' ');

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION kpi.value_fr(dimension text, value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE dimension
          WHEN 'genre' THEN kpi.genre_fr(value)
          WHEN 'decade' THEN CASE
            WHEN value IS NULL OR value !~ '^[0-9]{1,6}$' THEN 'date inconnue'
            WHEN value::int BETWEEN 1930 AND 1999 THEN 'années ' || right(value, 2)
            ELSE 'années ' || value::int END
          WHEN 'runtime_band' THEN CASE value ${cases(RUNTIME_BANDS)} ELSE value END
          WHEN 'country' THEN CASE value ${cases(COUNTRIES)} ELSE value END
          WHEN 'language' THEN CASE value ${cases(LANGUAGES, (fr) => literal(`en ${fr}`))} ELSE value END
          ELSE value END $$`,
    )
    .execute(db);
  await sql
    .raw(`CREATE FUNCTION kpi.dimension_fr(dimension text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE dimension ${cases(DIMENSIONS)} ELSE dimension END $$`)
    .execute(db);
  await sql.raw(`GRANT EXECUTE ON FUNCTION kpi.value_fr(text, text), kpi.dimension_fr(text) TO ${READER_ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS kpi.dimension_fr(text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS kpi.value_fr(text, text)`.execute(db);
}
