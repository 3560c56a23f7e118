/**
 * Streaming RFC-4180 CSV reader.
 *
 * Owned rather than pulled from npm because the importer needs exact physical
 * line numbers (for reject reports and input errors), strict UTF-8 checking and
 * bounded memory on ~1 M row exports.
 */

/** Any problem with the input file as a whole; the message always names the file and line. */
export class TmdbInputError extends Error {
  override readonly name = 'TmdbInputError';
  readonly file: string;
  readonly line: number;
  readonly detail: string;

  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}

export interface CsvRow {
  /** Physical (1-based) line where the record starts; a quoted newline makes later records start further down. */
  line: number;
  fields: string[];
  /**
   * Set when the record breaks CSV quoting rules (stray quote, text after a closing quote).
   * Reported per row instead of thrown so one bad row cannot abort a million-row import;
   * the fields are a best-effort split and should not be trusted.
   */
  malformed: string | null;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Saw a '"' inside a quoted field: either an escaped '""' or the closing quote. */
const QUOTE_IN_QUOTED = 3;
/** Chunk ended right after a CR outside quotes: need the next chunk to know if it is CRLF. */
const PENDING_CR = 4;

/**
 * The longest record kept, in characters. Real TMDB records are a few KB (the overview is the
 * longest field); a longer one is reported as a malformed row at its line, and its text is
 * dropped as it is read: a quote that never closes cannot make the reader hold the whole file.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/**
 * Incremental CSV state machine. Text is fed chunk by chunk and the state
 * survives chunk boundaries, so a record split across chunks is never rescanned
 * (rescanning would go quadratic on long quoted fields or tiny chunks).
 */
export class CsvParser {
  private state = FIELD_START;
  /** Current field's text carried over from earlier chunks (or before a '""' escape). */
  private parts = '';
  private fields: string[] = [];
  /** Characters in `fields`: with `parts`, what is held of the record in progress. */
  private fieldsChars = 0;
  /** The record passed MAX_RECORD_CHARS: its text is dropped up to its end. */
  private tooLong = false;
  private malformed: string | null = null;
  private fieldQuoted = false;
  private lastFieldQuoted = false;
  /** The field was quoted and then something other than a separator followed the closing quote. */
  private afterQuote = false;
  private quotedLength = 0;
  private fieldLine = 1;
  private recordLine = 1;
  /** Physical line of the next character to be scanned. */
  line = 1;

  constructor(private readonly file: string) {}

  /** Characters held of the record in progress: never more than MAX_RECORD_CHARS between chunks. */
  get heldChars(): number {
    return this.fieldsChars + this.parts.length;
  }

  push(s: string, out: CsvRow[]): void {
    const n = s.length;
    let i = 0;
    let seg = 0;
    if (this.state === PENDING_CR) {
      if (n === 0) return;
      if (s.charCodeAt(0) === LF) {
        this.finishField(this.parts);
        this.line++;
        this.finishRecord(out);
        i = 1;
        this.state = FIELD_START;
      } else {
        // A lone CR is data, not a line break: only CRLF and LF end records.
        this.append('\r');
        this.state = UNQUOTED;
      }
      seg = i;
    }
    while (i < n) {
      switch (this.state) {
        case FIELD_START: {
          if (s.charCodeAt(i) === QUOTE) {
            this.state = QUOTED;
            this.fieldQuoted = true;
            this.fieldLine = this.line;
            i++;
          } else {
            this.state = UNQUOTED;
          }
          seg = i;
          break;
        }
        case UNQUOTED: {
          let j = i;
          let c = 0;
          for (; j < n; j++) {
            c = s.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
          }
          if (j === n) {
            this.append(s.slice(seg, n));
            i = n;
          } else if (c === COMMA) {
            this.finishField(this.parts + s.slice(seg, j));
            this.state = FIELD_START;
            i = j + 1;
          } else if (c === LF) {
            this.finishField(this.parts + s.slice(seg, j));
            this.line++;
            this.finishRecord(out);
            this.state = FIELD_START;
            i = j + 1;
          } else if (c === CR) {
            if (j + 1 === n) {
              this.append(s.slice(seg, j));
              this.state = PENDING_CR;
              i = n;
            } else if (s.charCodeAt(j + 1) === LF) {
              this.finishField(this.parts + s.slice(seg, j));
              this.line++;
              this.finishRecord(out);
              this.state = FIELD_START;
              i = j + 2;
            } else {
              i = j + 1;
            }
          } else {
            // A quote inside an unquoted field means the writer did not quote it, so
            // any separator in it may have split the row: keep it literal but flag.
            this.flag(`stray '"' inside unquoted field ${this.fields.length + 1} at line ${this.line}`);
            i = j + 1;
          }
          break;
        }
        case QUOTED: {
          let j = i;
          let lines = 0;
          for (; j < n; j++) {
            const c = s.charCodeAt(j);
            if (c === QUOTE) break;
            if (c === LF) lines++;
          }
          this.line += lines;
          if (j === n) {
            this.append(s.slice(seg, n));
            i = n;
          } else {
            this.append(s.slice(seg, j));
            this.state = QUOTE_IN_QUOTED;
            i = j + 1;
            seg = i;
          }
          break;
        }
        case QUOTE_IN_QUOTED: {
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            // '""': the second quote starts the next slice, so it is kept without a concat,
            // unless the chunk ends here and there is no next slice in this chunk.
            seg = i;
            i++;
            this.state = QUOTED;
            if (i === n) this.append('"');
          } else if (c === COMMA) {
            this.finishField(this.parts);
            this.state = FIELD_START;
            i++;
          } else if (c === LF) {
            this.finishField(this.parts);
            this.line++;
            this.finishRecord(out);
            this.state = FIELD_START;
            i++;
          } else {
            // CR goes through the unquoted path too, which accepts CRLF; anything
            // else that remains in the field by the separator is reported there.
            this.afterQuote = true;
            this.quotedLength = this.parts.length;
            this.state = UNQUOTED;
            seg = i;
          }
          break;
        }
        default:
          throw new Error(`csv reader: impossible state ${this.state}`);
      }
    }
  }

  /** Flushes the last record; throws if a quoted field is still open. */
  end(out: CsvRow[]): void {
    switch (this.state) {
      case QUOTED:
        throw new TmdbInputError(this.file, this.fieldLine, 'unterminated quoted field (missing closing \'"\' before end of file)');
      case PENDING_CR:
        this.finishField(this.parts + '\r');
        this.finishRecord(out);
        break;
      case UNQUOTED:
      case QUOTE_IN_QUOTED:
        this.finishField(this.parts);
        this.finishRecord(out);
        break;
      case FIELD_START:
        // "a,b," at EOF still owes its empty last field; a clean EOF after a newline does not.
        if (this.fields.length > 0) {
          this.finishField('');
          this.finishRecord(out);
        }
        break;
      default:
        throw new Error(`csv reader: impossible state ${this.state}`);
    }
    this.state = FIELD_START;
  }

  private flag(reason: string): void {
    if (this.malformed === null) this.malformed = reason;
  }

  /** Carry text of the field in progress to the next chunk (or past a '""'). */
  private append(text: string): void {
    if (this.tooLong) return;
    this.parts += text;
    if (this.fieldsChars + this.parts.length > MAX_RECORD_CHARS) this.dropRecord();
  }

  private dropRecord(): void {
    this.tooLong = true;
    this.fields = [];
    this.fieldsChars = 0;
    this.parts = '';
  }

  private finishField(value: string): void {
    if (this.tooLong) {
      this.parts = '';
    } else if (this.fieldsChars + value.length > MAX_RECORD_CHARS) {
      // A field that a single chunk held whole.
      this.dropRecord();
    } else {
      if (this.afterQuote && value.length > this.quotedLength) {
        this.flag(`unexpected text after closing quote in field ${this.fields.length + 1} at line ${this.line}`);
      }
      this.fields.push(value);
      this.fieldsChars += value.length;
      this.parts = '';
    }
    this.lastFieldQuoted = this.fieldQuoted;
    this.fieldQuoted = false;
    this.afterQuote = false;
  }

  /** Call after `line` has moved past the terminator, so the next record starts on `line`. */
  private finishRecord(out: CsvRow[]): void {
    const fields = this.fields;
    if (this.tooLong) {
      out.push({ line: this.recordLine, fields: [], malformed: `record longer than ${MAX_RECORD_CHARS} characters` });
    } else if (!(fields.length === 1 && fields[0] === '' && !this.lastFieldQuoted)) {
      // Blank lines (typically trailing ones left by editors) are not records; '""' alone is.
      out.push({ line: this.recordLine, fields, malformed: this.malformed });
    }
    this.fields = [];
    this.fieldsChars = 0;
    this.tooLong = false;
    this.malformed = null;
    this.recordLine = this.line;
  }
}

/**
 * Number of bytes at the end of `b` that begin a multi-byte UTF-8 sequence not yet
 * complete; they are carried to the next chunk so a character split by the stream
 * is not mistaken for invalid input.
 */
function incompleteTailLength(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const byte = b[n - k]!;
    if ((byte & 0xc0) === 0x80) continue;
    const need = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xc2 && byte <= 0xdf ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/**
 * Index of the first byte that starts an invalid or truncated UTF-8 sequence, or -1.
 * Only run after the fast decoder has failed, to locate the error; follows the
 * WHATWG/Unicode well-formedness table (no overlongs, surrogates or > U+10FFFF).
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = b[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const cont = b[i + k]!;
      if ((cont & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Reads CSV records from a byte or text stream (a Node Readable works as is).
 * Holds at most one chunk plus the record in progress in memory, and no more than
 * MAX_RECORD_CHARS of a record: a longer one is a malformed row.
 *
 * Throws TmdbInputError on invalid UTF-8 or an unterminated quoted field;
 * rows completed before the error are yielded first, so what a consumer sees
 * does not depend on how the stream happened to be chunked.
 */
export async function* readCsvRows(input: AsyncIterable<Buffer | Uint8Array | string>, file: string): AsyncGenerator<CsvRow> {
  const parser = new CsvParser(file);
  // ignoreBOM keeps U+FEFF in the output: each chunk is decoded separately, and only
  // a BOM at the very start of the file is a BOM (elsewhere it is a character).
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const out: CsvRow[] = [];
  let carry: Uint8Array | null = null;
  let atStart = true;

  const feed = (text: string): void => {
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    parser.push(text, out);
  };

  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      if (carry !== null) throw new TmdbInputError(file, parser.line, 'invalid UTF-8: truncated multi-byte sequence');
      feed(chunk);
    } else {
      const bytes: Uint8Array = carry === null ? chunk : concatBytes(carry, chunk);
      const tail = incompleteTailLength(bytes);
      // Copy the tail: stream implementations may reuse the chunk's memory.
      carry = tail === 0 ? null : bytes.slice(bytes.length - tail);
      const body = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail);
      let text: string;
      try {
        text = decoder.decode(body);
      } catch {
        const at = firstInvalidUtf8(body);
        const bad = at < 0 ? body.length : at;
        feed(decoder.decode(body.subarray(0, bad)));
        yield* out;
        const byte = body[bad];
        const what = byte === undefined ? 'invalid UTF-8' : `invalid UTF-8 byte 0x${byte.toString(16).padStart(2, '0')}`;
        throw new TmdbInputError(file, parser.line, `${what} (the file must be UTF-8 encoded)`);
      }
      feed(text);
    }
    if (out.length > 0) {
      yield* out;
      out.length = 0;
    }
  }
  if (carry !== null) {
    throw new TmdbInputError(file, parser.line, 'invalid UTF-8: file ends inside a multi-byte sequence');
  }
  parser.end(out);
  yield* out;
}
