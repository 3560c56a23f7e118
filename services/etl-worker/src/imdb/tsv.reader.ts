import { isUtf8 } from 'node:buffer';
import { ImdbInputError } from './imdb-datasets';

/**
 * IMDb TSV, exactly: UTF-8, LF, one header line, tab-separated, `\N` for null, no quoting
 * (a `"` is a literal character), no tab or newline inside a field.
 *
 * Built for the 98 M-row files: the stream is cut at the last newline of each chunk, so every
 * piece stands on its own (a newline byte is never inside a UTF-8 sequence) and is validated as
 * UTF-8 in one native call. It is then decoded as latin1 — one byte, one char — which V8 does at
 * memory speed into a compact one-byte string whatever the content, and scanned with indexOf into
 * field offsets. A row handler looks at the first field, and only for the ~1 % of rows it keeps
 * decodes the text fields as UTF-8 (`textField`).
 */
export interface TsvRowHandler {
  /**
   * One well-formed data row: field i is `text.slice(f[i], f[i + 1] - 1)`. `f` is reused
   * between rows: copy what you keep.
   */
  (text: string, f: Int32Array, line: number): void;
}

export interface TsvStats {
  /** Every data line, well-formed or rejected. */
  rowsRead: number;
  rowsRejected: number;
  rejectSamples: Array<{ line: number; reason: string }>;
}

const MAX_REJECT_SAMPLES = 20;
const NEWLINE = 10;

/**
 * The longest line accepted, in bytes before its newline. Real IMDb lines are short (a few KB at
 * most, for principals' characters); a longer one is a malformed row, rejected and counted with
 * its line like any other, and skipped without being held: a file without newlines cannot grow
 * the reader's memory or time beyond linear.
 */
export const MAX_LINE_BYTES = 1 << 20;

export class TsvReader {
  readonly stats: TsvStats = { rowsRead: 0, rowsRejected: 0, rejectSamples: [] };
  private readonly columns: number;
  private readonly f: Int32Array;
  /** The last line number handed to the handler or rejected; 1 is the header. */
  line = 0;
  /** The partial line carried between chunks, in pieces: joined once, when its newline comes. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** The line being read is over the limit: its bytes are dropped up to its newline. */
  private skipping = false;

  constructor(
    private readonly file: string,
    private readonly header: readonly string[],
  ) {
    this.columns = header.length;
    this.f = new Int32Array(this.columns + 1);
  }

  /** Bytes of an unfinished line held between chunks: never more than `MAX_LINE_BYTES`. */
  get partialLineBytes(): number {
    return this.partialBytes;
  }

  /** Decode `input` piece by piece (whole lines each), ready for `scan`. */
  async *pieces(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
    let sawAnyByte = false;
    for await (let chunk of input) {
      if (chunk.length === 0) continue;
      sawAnyByte = true;
      if (this.skipping || this.partialBytes > 0) {
        // Finish the carried partial line with the head of this chunk.
        const nl = chunk.indexOf(NEWLINE);
        if (nl === -1) {
          this.hold(chunk);
          continue;
        }
        const line = this.endPartial(chunk.subarray(0, nl + 1));
        if (line) yield this.decode(line);
        chunk = chunk.subarray(nl + 1);
      }
      const cut = chunk.lastIndexOf(NEWLINE);
      if (cut === -1) {
        this.hold(chunk);
        continue;
      }
      if (cut + 1 < chunk.length) this.hold(chunk.subarray(cut + 1));
      yield this.decode(chunk.subarray(0, cut + 1));
    }
    if (this.skipping || this.partialBytes > 0) {
      const line = this.endPartial(Buffer.from([NEWLINE]));
      if (line) yield this.decode(line);
    }
    if (!sawAnyByte) throw new ImdbInputError(`${this.file}: empty file (no header line)`);
    if (this.line === 0) throw new ImdbInputError(`${this.file}: no header line`);
  }

  /** Keep the start of an unfinished line, or drop it once the line is past the limit. */
  private hold(bytes: Buffer): void {
    if (this.skipping) return;
    if (this.partialBytes + bytes.length > MAX_LINE_BYTES) {
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = true;
      return;
    }
    // A copy: the stream may reuse the chunk's memory.
    this.partial.push(Buffer.from(bytes));
    this.partialBytes += bytes.length;
  }

  /**
   * The carried line completed by `end` (its last bytes, newline included), or null when it was
   * over the limit: then it is counted as a rejected row. The pieces before it have been
   * scanned by now, so `line` is the line before it.
   */
  private endPartial(end: Buffer): Buffer | null {
    const length = this.partialBytes + end.length - 1;
    const skipped = this.skipping || length > MAX_LINE_BYTES;
    const line = skipped ? null : Buffer.concat([...this.partial, end], length + 1);
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
    if (skipped) this.rejectTooLong();
    return line;
  }

  private rejectTooLong(): void {
    if (this.line === 0) throw new ImdbInputError(`${this.file}: line 1: header longer than ${MAX_LINE_BYTES} bytes`);
    this.stats.rowsRead++;
    this.reject(++this.line, `line longer than ${MAX_LINE_BYTES} bytes`);
  }

  private decode(bytes: Buffer): string {
    if (!isUtf8(bytes)) {
      throw new ImdbInputError(`${this.file}: line ${this.line + 1 + invalidUtf8Line(bytes)}: invalid UTF-8`);
    }
    return bytes.toString('latin1');
  }

  /** Split a decoded piece (whole lines, each ending with LF) into rows. */
  scan(text: string, onRow: TsvRowHandler): void {
    const f = this.f;
    const columns = this.columns;
    let pos = 0;
    const end = text.length;
    if (this.line === 0 && pos < end) pos = this.checkHeader(text);
    while (pos < end) {
      const eol = text.indexOf('\n', pos);
      if (eol - pos > MAX_LINE_BYTES) {
        // Possible only when one chunk holds the whole line: the text is latin1, one char a byte.
        this.rejectTooLong();
        pos = eol + 1;
        continue;
      }
      const line = ++this.line;
      this.stats.rowsRead++;
      // CRLF files are not official, but a stray CR must not end up inside the last field.
      const stop = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      f[0] = pos;
      let n = 1;
      let tab = text.indexOf('\t', pos);
      while (tab !== -1 && tab < stop) {
        if (n === columns) break;
        f[n++] = tab + 1;
        tab = text.indexOf('\t', tab + 1);
      }
      if (n !== columns || (tab !== -1 && tab < stop)) {
        this.reject(line, `expected ${columns} fields, found ${countFields(text, pos, stop)}`);
      } else {
        f[columns] = stop + 1;
        onRow(text, f, line);
      }
      pos = eol + 1;
    }
  }

  /** Record a row the handler finds malformed (a bad id, say), with its line. */
  reject(line: number, reason: string): void {
    this.stats.rowsRejected++;
    if (this.stats.rejectSamples.length < MAX_REJECT_SAMPLES) this.stats.rejectSamples.push({ line, reason });
  }

  private checkHeader(text: string): number {
    const eol = text.indexOf('\n');
    if (eol > MAX_LINE_BYTES) throw new ImdbInputError(`${this.file}: line 1: header longer than ${MAX_LINE_BYTES} bytes`);
    this.line = 1;
    let headerText = text.slice(0, eol);
    // A UTF-8 byte-order mark, as latin1 sees it.
    if (headerText.startsWith('\u00ef\u00bb\u00bf')) headerText = headerText.slice(3);
    if (headerText.endsWith('\r')) headerText = headerText.slice(0, -1);
    const found = headerText.split('\t');
    const expected = this.header;
    if (found.length !== expected.length || found.some((name, i) => name !== expected[i])) {
      const missing = expected.filter((name) => !found.includes(name));
      const extra = found.filter((name) => !(expected as readonly string[]).includes(name));
      const detail = [
        missing.length ? `missing ${missing.join(', ')}` : '',
        extra.length ? `unexpected ${extra.join(', ')}` : '',
        !missing.length && !extra.length ? 'columns in another order' : '',
      ]
        .filter(Boolean)
        .join('; ');
      throw new ImdbInputError(
        `${this.file}: line 1: header does not match the IMDb format (${detail}); expected "${expected.join('\\t')}", found "${found.join('\\t')}"`,
      );
    }
    return eol + 1;
  }
}

function countFields(text: string, start: number, stop: number): number {
  let n = 1;
  for (let i = text.indexOf('\t', start); i !== -1 && i < stop; i = text.indexOf('\t', i + 1)) n++;
  return n;
}

/** 0-based line (within `bytes`) of the first invalid UTF-8 sequence. */
function invalidUtf8Line(bytes: Buffer): number {
  let line = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === NEWLINE) {
      if (!isUtf8(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

// Field helpers: the hot loop stays allocation-free until a row is kept.

/**
 * Field `i` as scanned: right for ASCII fields (ids, numbers, codes, `\N`), latin1 mojibake for
 * others; use `textField` for text a person reads.
 */
export function field(text: string, f: Int32Array, i: number): string {
  return text.slice(f[i]!, f[i + 1]! - 1);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Field `i` decoded as the UTF-8 it is (already validated). */
export function textField(text: string, f: Int32Array, i: number): string {
  const raw = text.slice(f[i]!, f[i + 1]! - 1);
  return NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}

export function isNull(text: string, f: Int32Array, i: number): boolean {
  const start = f[i]!;
  return f[i + 1]! - 1 - start === 2 && text.charCodeAt(start) === 92 && text.charCodeAt(start + 1) === 78;
}

/** The number in an IMDb id (`tt0000001`, `nm0000001`) at field `i`, or -1 if malformed. */
export function idAt(text: string, f: Int32Array, i: number, prefix0: number, prefix1: number): number {
  return parseId(text, f[i]!, f[i + 1]! - 1, prefix0, prefix1);
}

export function parseId(text: string, start: number, end: number, prefix0: number, prefix1: number): number {
  if (end - start < 3 || end - start > 12) return -1;
  if (text.charCodeAt(start) !== prefix0 || text.charCodeAt(start + 1) !== prefix1) return -1;
  let n = 0;
  for (let p = start + 2; p < end; p++) {
    const c = text.charCodeAt(p) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n > 0 && n <= 0x7fffffff ? n : -1;
}

export const T = 116; // 't'
export const N = 110; // 'n'
export const M = 109; // 'm'

/** Non-negative integer at field `i`; null for `\N`; NaN if malformed. */
export function intAt(text: string, f: Int32Array, i: number): number | null {
  const start = f[i]!;
  const end = f[i + 1]! - 1;
  if (isNull(text, f, i)) return null;
  if (end === start || end - start > 10) return Number.NaN;
  let n = 0;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}
