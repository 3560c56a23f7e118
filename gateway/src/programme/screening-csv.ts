import Ajv from 'ajv';
import { type ScreeningInput, ScreeningInputSchema } from '../schemas/programme.schema';
import { fromLocal, isCalendarDate, isoWithOffset } from './cinema-time';

/**
 * The séance CSV the owner exports from a spreadsheet (docs/programme.md). Pure: text in, séance
 * bodies out, or the first problem with its line and column. The bodies then go through the same
 * checks as the JSON route.
 */

export const CSV_COLUMNS = ['date', 'time', 'tconst', 'room', 'version', 'format', 'sme', 'ad', 'labels', 'price_note', 'booking_url'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly CsvColumn[] = ['date', 'time', 'tconst', 'room', 'version'];

/** The JSON route's body schema, checked by Ajv as fastify checks it: one rule for both ways in. */
const validBody = new Ajv({ allErrors: false, strict: false }).compile<ScreeningInput>(ScreeningInputSchema);

/** A problem with one field of one line: the import answers 400 with both. */
export class CsvFieldError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`line ${line}, field ${field}: ${reason}`);
    this.name = 'CsvFieldError';
  }
}

export interface CsvScreening {
  /** The line of the file the séance starts on (the header is line 1). */
  line: number;
  input: ScreeningInput;
}

interface Record_ {
  line: number;
  cells: string[];
}

/** RFC 4180 records, `,` or `;` (a French spreadsheet's choice) as found in the header. */
function records(text: string): Record_[] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const separator = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const out: Record_[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) out.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < body.length) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        cell += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === separator) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      start = line;
    } else cell += c;
    i += 1;
  }
  if (quoted) throw new CsvFieldError(start, 'file', 'a quoted field is never closed');
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}

const YES = new Set(['oui', 'yes', 'true', '1', 'x']);
const NO = new Set(['', 'non', 'no', 'false', '0']);

function flag(value: string, line: number, field: CsvColumn): boolean {
  const v = value.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  throw new CsvFieldError(line, field, `"${value}" is not oui/non`);
}

/** JSON paths of the body → the CSV column that holds them. */
const COLUMN_OF: Record<string, CsvColumn> = {
  tconst: 'tconst',
  startsAt: 'time',
  room: 'room',
  version: 'version',
  format: 'format',
  accessibility: 'sme',
  labels: 'labels',
  priceNote: 'price_note',
  bookingUrl: 'booking_url',
};

export function parseScreeningCsv(text: string, timeZone: string): CsvScreening[] {
  const [header, ...rows] = records(text);
  if (!header) throw new CsvFieldError(1, 'header', `the file is empty; the first line names the columns: ${CSV_COLUMNS.join(',')}`);
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const unknown = names.find((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown !== undefined) throw new CsvFieldError(1, unknown || '(empty)', `unknown column; the columns are ${CSV_COLUMNS.join(',')}`);
  const missing = REQUIRED.find((n) => !names.includes(n));
  if (missing) throw new CsvFieldError(1, missing, 'required column missing');
  if (rows.length === 0) throw new CsvFieldError(2, 'file', 'no séance after the header');

  return rows.map(({ line, cells }) => {
    if (cells.length > names.length) throw new CsvFieldError(line, 'file', `${cells.length} fields for ${names.length} columns`);
    const get = (column: CsvColumn) => (cells[names.indexOf(column)] ?? '').trim();
    const date = get('date');
    if (!isCalendarDate(date)) throw new CsvFieldError(line, 'date', `"${date}" is not a date YYYY-MM-DD`);
    const time = /^([01]?\d|2[0-3])[:hH]([0-5]\d)$/.exec(get('time'));
    if (!time) throw new CsvFieldError(line, 'time', `"${get('time')}" is not a time HH:MM`);
    const startsAt = isoWithOffset(fromLocal({ date, time: `${time[1]!.padStart(2, '0')}:${time[2]}` }, timeZone), timeZone);
    const labels = get('labels').split(/[|\s]+/).filter((l) => l !== '');
    const input: Record<string, unknown> = {
      tconst: get('tconst'),
      startsAt,
      room: get('room'),
      version: get('version').toUpperCase(),
      accessibility: { sme: flag(get('sme'), line, 'sme'), ad: flag(get('ad'), line, 'ad') },
      labels,
      priceNote: get('price_note') || null,
      bookingUrl: get('booking_url') || null,
    };
    if (get('format')) input.format = get('format').toUpperCase();
    if (!validBody(input)) {
      const problem = validBody.errors![0]!;
      const key = problem.instancePath.split('/')[1] ?? '';
      throw new CsvFieldError(line, COLUMN_OF[key] ?? key, problem.message ?? 'invalid');
    }
    return { line, input };
  });
}
