import { frenchDate, frenchDayTime } from './cinema-dates';

/**
 * The API's refusals in the owner's French. The API answers in English, and names the field of
 * a JSON body (`body/room: …`, or fastify's `body/bookingUrl must match …`) or the line and
 * column of a CSV file (`line 3, field room: …`); those messages stay the API's (scripts read
 * them). Here the field becomes the words of the editor's form (the CSV column keeps its name, as
 * it is in the owner's file) and each known reason a French sentence; a reason not known here is
 * still said in French by its field, with the API's words after it as a detail.
 */

/** A body field → the label of the editor's form. */
const FORM_FIELD: Record<string, string> = {
  tconst: 'Film',
  startsAt: 'Date et heure',
  room: 'Salle',
  version: 'Version',
  format: 'Format',
  accessibility: 'Accessibilité',
  labels: 'Labels',
  priceNote: 'Note de tarif',
  bookingUrl: 'Lien de réservation',
  name: 'Nom de la salle',
  seats: 'Places',
  wheelchair: 'Accessible en fauteuil',
  to: 'Semaine de destination',
};

/** A CSV column → what it holds, said after its name. */
const CSV_COLUMN: Record<string, string> = {
  date: 'la date',
  time: 'l’heure',
  tconst: 'le film',
  room: 'la salle',
  version: 'la version',
  format: 'le format',
  sme: 'les sous-titres SME',
  ad: 'l’audiodescription',
  labels: 'les labels',
  price_note: 'la note de tarif',
  booking_url: 'le lien de réservation',
};

/** What each value may be, where "one of the allowed values" would say nothing. */
const ALLOWED: Record<string, string> = {
  version: 'VF, VOST ou VO',
  format: '2D ou 3D',
  labels: 'art-et-essai, cine-seniors, cine-gouter, avant-premiere, debat ou patrimoine',
};

const quoted = (value: string) => `« ${value} »`;

/** "2026-12-16T20:30:00+01:00" → "mer. 16 déc. 20:30"; anything else as it came. */
function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : frenchDayTime(new Date(t));
}

/** English reasons of the API (programme service, CSV reader, JSON schema) → French, or null when unknown. */
const REASONS: Array<[RegExp, (m: RegExpExecArray, field: string) => string]> = [
  [/^no room named "(.*)"$/, (m) => `aucune salle ne s’appelle ${quoted(m[1]!)} (ajoutez-la d’abord dans « Les salles »)`],
  [/^(tt\d+) is not a film of the imported IMDb files$/, (m) => `${m[1]} n’est pas un film des fichiers IMDb importés (vérifiez le numéro dans l’adresse IMDb du film)`],
  [/^"(.*)" is not a date and time$/, (m) => `${quoted(m[1]!)} n’est pas une date et une heure`],
  [/^the room already has a séance at (\S+)$/, (m) => `la salle a déjà une séance le ${when(m[1]!)} ; choisissez une autre heure ou une autre salle`],
  [/^(?:the room|room .*) already has a séance then$/, () => 'la salle a déjà une séance à cette heure-là ; choisissez une autre heure ou une autre salle'],
  [/^"(.*)" is not a date YYYY-MM-DD$/, (m) => `${quoted(m[1]!)} n’est pas une date écrite AAAA-MM-JJ (par exemple 2026-12-16)`],
  [/^"(.*)" is not a time HH:MM$/, (m) => `${quoted(m[1]!)} n’est pas une heure écrite HH:MM (par exemple 20:30)`],
  [/^"(.*)" is not oui\/non$/, (m) => `${quoted(m[1]!)} n’est ni « oui » ni « non »`],
  [/^a quoted field is never closed$/, () => 'un guillemet ouvert n’est jamais refermé'],
  [/^the file is empty/, () => 'le fichier est vide ; sa première ligne doit nommer les colonnes'],
  [/^unknown column; the columns are (.*)$/, (m) => `colonne inconnue ; les colonnes possibles sont ${m[1]!.split(',').join(', ')}`],
  [/^required column missing$/, () => 'cette colonne obligatoire manque à la première ligne'],
  [/^no séance after the header$/, () => 'aucune séance après la ligne des colonnes'],
  [/^(\d+) fields for (\d+) columns$/, (m) => `${m[1]} valeurs pour ${m[2]} colonnes`],
  [/^must have required property '(.*)'$/, () => 'est obligatoire'],
  [/^must match pattern "\^https:/, () => 'doit être une adresse commençant par https://'],
  [/^must match pattern "\^tt/, () => 'doit être un numéro IMDb comme tt0068646'],
  [/^must match pattern/, () => 'n’a pas la forme attendue'],
  [/^must be equal to one of the allowed values$/, (_m, field) => (ALLOWED[field] ? `doit être ${ALLOWED[field]}` : 'n’est pas une valeur permise')],
  [/^must NOT have more than (\d+) characters$/, (m) => `${m[1]} caractères au plus`],
  [/^must NOT have fewer than 1 characters$/, () => 'ne doit pas être vide'],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `${m[1]} caractères au moins`],
  [/^must be <= (\d+)$/, (m) => `${m[1]} au plus`],
  [/^must be >= (\d+)$/, (m) => `${m[1]} au moins`],
  [/^must NOT have duplicate items/, () => 'une valeur y est en double'],
  [/^must NOT have additional properties$/, () => 'contient un champ inconnu'],
];

function frenchReason(reason: string, field: string): string | null {
  for (const [pattern, say] of REASONS) {
    const m = pattern.exec(reason);
    if (m) return say(m, field);
  }
  return null;
}

/** Messages of the API that name no field. */
const WHOLE: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^a room named "(.*)" exists already$/, (m) => `Une salle s’appelle déjà ${quoted(m[1]!)} : choisissez un autre nom.`],
  [/^séance \d+ is cancelled; add a new one instead$/, () => 'Cette séance est annulée : elle ne peut plus être modifiée. Ajoutez une nouvelle séance.'],
  [/^no séance \d+$/, () => 'Cette séance n’existe plus. Rechargez la page.'],
  [/^week (\S+) already has a séance at (\S+) in that room: nothing copied$/, (m) => `La semaine du ${frenchDate(m[1]!)} a déjà une séance le ${when(m[2]!)} dans la même salle : rien n’a été copié.`],
];

export interface FrenchProblem {
  /** The body field the API named (`room`, `startsAt`…), or the CSV column; null when none. */
  field: string | null;
  /** One or two plain French sentences. */
  text: string;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** A refusal (4xx) of the API, its message as it came, in French. */
export function frenchProblem(message: string): FrenchProblem {
  const csv = /^line (\d+), field ([^:]+): (.*)$/s.exec(message);
  if (csv) {
    const [, line, column, reason] = csv as unknown as [string, string, string, string];
    const what = CSV_COLUMN[column];
    const where =
      column === 'file' ? `Ligne ${line} du fichier` : column === 'header' ? 'Première ligne du fichier' : `Ligne ${line} du fichier, colonne ${quoted(column)}${what ? ` (${what})` : ''}`;
    const said = frenchReason(reason, column);
    return { field: column, text: `${where} : ${sentence(said ?? `valeur refusée (${reason})`)} Rien n’a été enregistré : corrigez le fichier, puis importez-le de nouveau.` };
  }
  // `body/room: reason` (the service), `body/priceNote must …` (the schema), `body must have required property 'x'`.
  const body = /^body(?:\/([A-Za-z]+)[^\s:]*)?:? (.*)$/s.exec(message);
  if (body) {
    const reason = body[2]!;
    const required = /^must have required property '(.*)'$/.exec(reason);
    const field = required ? required[1]! : (body[1] ?? null);
    if (field !== null) {
      const label = FORM_FIELD[field] ?? field;
      const said = frenchReason(reason, field);
      return { field, text: `${label} : ${sentence(said ?? `valeur refusée (${reason})`)}` };
    }
  }
  for (const [pattern, say] of WHOLE) {
    const m = pattern.exec(message);
    if (m) return { field: null, text: say(m) };
  }
  return { field: null, text: `La demande a été refusée (${message}).` };
}
