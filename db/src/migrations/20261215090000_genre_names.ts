import { type Kysely, sql } from 'kysely';

/**
 * `kpi.genre_fr(genre)`: IMDb's genre name as the owner reads it (« Drame », « Policier »), for
 * the Grafana panels, which showed IMDb's English where the report writes French. An unknown name
 * comes back as it is. The names are the report's (`analysis/src/report/french.ts`; a spec checks
 * the two agree), copied here because a migration imports no application code. IMMUTABLE: a panel
 * may call it per row. Executable by Grafana's read-only role.
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */

const READER_ROLE = 'cine_kpi_reader';

const GENRES: ReadonlyArray<readonly [string, string]> = [
  ['Action', 'Action'],
  ['Adult', 'Adulte'],
  ['Adventure', 'Aventure'],
  ['Animation', 'Animation'],
  ['Biography', 'Biographie'],
  ['Comedy', 'Comédie'],
  ['Crime', 'Policier'],
  ['Documentary', 'Documentaire'],
  ['Drama', 'Drame'],
  ['Family', 'Famille'],
  ['Fantasy', 'Fantastique'],
  ['Film-Noir', 'Film noir'],
  ['Game-Show', 'Jeu télévisé'],
  ['History', 'Histoire'],
  ['Horror', 'Horreur'],
  ['Music', 'Musique'],
  ['Musical', 'Comédie musicale'],
  ['Mystery', 'Mystère'],
  ['News', 'Actualités'],
  ['Reality-TV', 'Téléréalité'],
  ['Romance', 'Romance'],
  ['Sci-Fi', 'Science-fiction'],
  ['Short', 'Court métrage'],
  ['Sport', 'Sport'],
  ['Talk-Show', 'Talk-show'],
  ['Thriller', 'Thriller'],
  ['War', 'Guerre'],
  ['Western', 'Western'],
  ['unknown', 'Sans genre'],
];

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function up(db: Kysely<any>): Promise<void> {
  const cases = GENRES.map(([imdb, fr]) => `WHEN ${literal(imdb)} THEN ${literal(fr)}`).join(' ');
  await sql
    .raw(`CREATE FUNCTION kpi.genre_fr(genre text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE genre ${cases} ELSE genre END $$`)
    .execute(db);
  await sql.raw(`GRANT EXECUTE ON FUNCTION kpi.genre_fr(text) TO ${READER_ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS kpi.genre_fr(text)`.execute(db);
}
