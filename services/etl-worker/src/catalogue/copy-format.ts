/**
 * Encoding to PostgreSQL's COPY text format: tab-separated, `\N` for null, backslash escapes.
 * IMDb's own `\N` is COPY's null, so nulls pass through; every other backslash is doubled.
 */
export const NULL = '\\N';

/** A text value; null/undefined become `\N`. */
export function text(value: string | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  if (value.indexOf('\\') === -1 && value.indexOf('\t') === -1 && value.indexOf('\n') === -1 && value.indexOf('\r') === -1) {
    return value;
  }
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** An IMDb field as found in the file: `\N` is null, anything else is literal text. */
export function imdbText(raw: string): string {
  return raw === NULL ? NULL : text(raw);
}

export function num(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? NULL : String(value);
}

export function bool(value: boolean | null | undefined): string {
  return value === null || value === undefined ? NULL : value ? 't' : 'f';
}

/** A text[] literal, every element quoted so commas, braces and spaces need no thought. */
export function textArray(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return NULL;
  if (values.length === 0) return '{}';
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const escaped = v.indexOf('"') === -1 && v.indexOf('\\') === -1 ? v : v.replace(/["\\]/g, (c) => `\\${c}`);
    out += (i === 0 ? '"' : ',"') + escaped + '"';
  }
  return text(`${out}}`);
}

/** An IMDb comma-separated list field (`\N` is the empty list). */
export function imdbList(raw: string): string {
  return raw === NULL || raw === '' ? '{}' : textArray(raw.split(','));
}
