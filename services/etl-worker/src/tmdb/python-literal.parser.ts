/**
 * Parser for the Python literals (`repr()` of lists and dicts) that pandas wrote
 * into the TMDB CSV exports. These are not JSON: single-quoted strings, True/False/None,
 * and quote style chosen per string (`"L'Avventura"` vs `'Toy Story'`).
 *
 * Covers the literal subset repr() produces for str/int/float/bool/None/list/dict;
 * anything else (tuples, sets, bytes, string prefixes, nan) is an error rather
 * than a guess, because a guess here would load garbage into the catalogue.
 */

export type PyKey = string | number | boolean | null;
export type PyValue = string | number | boolean | null | PyValue[] | PyDict;
/** A Map rather than an object so that keys keep their Python type (1 vs '1'). */
export type PyDict = Map<PyKey, PyValue>;

export class PythonLiteralError extends Error {
  override readonly name = 'PythonLiteralError';
  /** 0-based index in the parsed text where the problem was found. */
  readonly offset: number;

  constructor(detail: string, offset: number) {
    super(`${detail} at offset ${offset}`);
    this.offset = offset;
  }
}

/** Guards the recursion: real TMDB values nest 2 deep, so this only stops hostile input. */
const MAX_DEPTH = 64;

const BACKSLASH = 92;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'end of input';
  return JSON.stringify(text.slice(at, at + 12));
}

class Parser {
  private i = 0;

  constructor(private readonly text: string) {}

  parseDocument(): PyValue {
    const value = this.value(0);
    this.skipSpace();
    if (this.i < this.text.length) this.fail(`unexpected ${describe(this.text, this.i)} after the value`);
    return value;
  }

  private fail(detail: string, at = this.i): never {
    throw new PythonLiteralError(detail, at);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      // Inside brackets Python allows line breaks, so newlines count as space too.
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  private value(depth: number): PyValue {
    this.skipSpace();
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === 39 || c === 34) return this.string();
    if (c === 91) return this.list(depth);
    if (c === 123) return this.dict(depth);
    if (isDigit(c) || c === 45 || c === 43 || c === 46) return this.number();
    if (t.startsWith('True', this.i)) return this.keyword('True', true);
    if (t.startsWith('False', this.i)) return this.keyword('False', false);
    if (t.startsWith('None', this.i)) return this.keyword('None', null);
    if (c === 40) this.fail('tuples are not supported');
    return this.fail(`expected a value, found ${describe(t, this.i)}`);
  }

  private keyword(word: string, value: boolean | null): boolean | null {
    const end = this.i + word.length;
    const next = this.text.charCodeAt(end);
    // 'Nonesuch' is a name, not None followed by junk.
    if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || isDigit(next) || next === 95) {
      this.fail(`expected a value, found ${describe(this.text, this.i)}`);
    }
    this.i = end;
    return value;
  }

  private enter(depth: number): number {
    if (depth >= MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    return depth + 1;
  }

  private list(depth: number): PyValue[] {
    const inner = this.enter(depth);
    const open = this.i;
    this.i++;
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) this.fail(`unterminated list (opened at offset ${open})`);
      if (this.text.charCodeAt(this.i) === 93) {
        this.i++;
        return items;
      }
      items.push(this.value(inner));
      this.skipSpace();
      const c = this.text.charCodeAt(this.i);
      if (c === 44) this.i++;
      else if (c !== 93) {
        if (this.i >= this.text.length) this.fail(`unterminated list (opened at offset ${open})`);
        this.fail(`expected ',' or ']' in list, found ${describe(this.text, this.i)}`);
      }
    }
  }

  private dict(depth: number): PyDict {
    const inner = this.enter(depth);
    const open = this.i;
    this.i++;
    const entries: PyDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) this.fail(`unterminated dict (opened at offset ${open})`);
      if (this.text.charCodeAt(this.i) === 125) {
        this.i++;
        return entries;
      }
      const keyAt = this.i;
      const key = this.value(inner);
      if (typeof key === 'object' && key !== null) this.fail('dict key must be a string, number, bool or None', keyAt);
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 58) this.fail(`expected ':' after dict key, found ${describe(this.text, this.i)}`);
      this.i++;
      // Later duplicates win, as in Python.
      entries.set(key, this.value(inner));
      this.skipSpace();
      const c = this.text.charCodeAt(this.i);
      if (c === 44) this.i++;
      else if (c !== 125) {
        if (this.i >= this.text.length) this.fail(`unterminated dict (opened at offset ${open})`);
        this.fail(`expected ',' or '}' in dict, found ${describe(this.text, this.i)}`);
      }
    }
  }

  private number(): number {
    const t = this.text;
    const start = this.i;
    let j = start;
    if (t.charCodeAt(j) === 45 || t.charCodeAt(j) === 43) j++;
    const intStart = j;
    while (isDigit(t.charCodeAt(j))) j++;
    let digits = j - intStart;
    let isFloat = false;
    if (t.charCodeAt(j) === 46) {
      isFloat = true;
      j++;
      const fracStart = j;
      while (isDigit(t.charCodeAt(j))) j++;
      digits += j - fracStart;
    }
    if (digits === 0) this.fail(`invalid number ${describe(t, start)}`, start);
    const e = t.charCodeAt(j);
    if (e === 101 || e === 69) {
      isFloat = true;
      j++;
      if (t.charCodeAt(j) === 45 || t.charCodeAt(j) === 43) j++;
      const expStart = j;
      while (isDigit(t.charCodeAt(j))) j++;
      if (j === expStart) this.fail(`invalid number exponent in ${describe(t, start)}`, start);
    }
    const next = t.charCodeAt(j);
    // Catches hex/underscore/complex forms ('0x1F', '1_000', '2j') instead of half-parsing them.
    if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95) {
      this.fail(`unsupported number syntax ${describe(t, start)}`, start);
    }
    const value = Number(t.slice(start, j));
    if (!isFloat && !Number.isSafeInteger(value)) this.fail('integer too large to represent exactly', start);
    if (!Number.isFinite(value)) this.fail('float out of range', start);
    this.i = j;
    return value;
  }

  private string(): string {
    const t = this.text;
    const open = this.i;
    const quote = t.charCodeAt(open);
    if (t.charCodeAt(open + 1) === quote && t.charCodeAt(open + 2) === quote) this.fail('triple-quoted strings are not supported');
    let i = open + 1;
    let seg = i;
    let out = '';
    for (;;) {
      if (i >= t.length) this.fail(`unterminated string (opened at offset ${open})`, open);
      const c = t.charCodeAt(i);
      if (c === quote) {
        out += t.slice(seg, i);
        this.i = i + 1;
        return out;
      }
      if (c === 10 || c === 13) this.fail(`line break inside string (opened at offset ${open})`, i);
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      out += t.slice(seg, i);
      const escAt = i;
      i++;
      if (i >= t.length) this.fail(`unterminated string (opened at offset ${open})`, open);
      const e = t[i]!;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i++;
      } else if (e === '\n') {
        i++;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = t.slice(i + 1, i + 1 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(`invalid \\${e} escape: expected ${len} hex digits`, escAt);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) this.fail(`invalid \\${e} escape: code point out of range`, escAt);
        out += String.fromCodePoint(code);
        i += 1 + len;
      } else if (e >= '0' && e <= '7') {
        let j = i;
        while (j < i + 3 && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 55) j++;
        out += String.fromCodePoint(parseInt(t.slice(i, j), 8));
        i = j;
      } else if (e === 'N') {
        this.fail('\\N{...} escapes are not supported', escAt);
      } else {
        // Python keeps unknown escapes verbatim ('\d' stays backslash-d).
        out += '\\';
      }
      seg = i;
    }
  }
}

/** Parses one Python literal; throws PythonLiteralError with the offset of the problem. */
export function parsePythonLiteral(text: string): PyValue {
  return new Parser(text).parseDocument();
}
