import type { Migration } from 'kysely';
import * as m20261125080000 from './20261125080000_catalogue';
import * as m20261125100000 from './20261125100000_recommender';
import * as m20261125100100 from './20261125100100_kpi';
import * as m20261125110000 from './20261125110000_search';
import * as m20261125120000 from './20261125120000_recommender_encoder';
import * as m20261207090000 from './20261207090000_post_import_state';
import * as m20261208090000 from './20261208090000_programme';
import * as m20261209090000 from './20261209090000_film_index';
import * as m20261210090000 from './20261210090000_taste_store';
import * as m20261211090000 from './20261211090000_film_index_search_text';
import * as m20261212090000 from './20261212090000_notifications';
import * as m20261213090000 from './20261213090000_learning_consent';
import * as m20261214090000 from './20261214090000_notification_tally';
import * as m20261215090000 from './20261215090000_genre_names';
import * as m20261216090000 from './20261216090000_kpi_value_names';

/**
 * Every migration, by name. A static list (rather than a folder scan) works the same under
 * tsx, jest and a bundled build; names sort by their timestamp prefix.
 */
export const migrations: Record<string, Migration> = {
  '20261125080000_catalogue': m20261125080000,
  '20261125100000_recommender': m20261125100000,
  '20261125100100_kpi': m20261125100100,
  '20261125110000_search': m20261125110000,
  '20261125120000_recommender_encoder': m20261125120000,
  '20261207090000_post_import_state': m20261207090000,
  '20261208090000_programme': m20261208090000,
  '20261209090000_film_index': m20261209090000,
  '20261210090000_taste_store': m20261210090000,
  '20261211090000_film_index_search_text': m20261211090000,
  '20261212090000_notifications': m20261212090000,
  '20261213090000_learning_consent': m20261213090000,
  '20261214090000_notification_tally': m20261214090000,
  '20261215090000_genre_names': m20261215090000,
  '20261216090000_kpi_value_names': m20261216090000,
};
