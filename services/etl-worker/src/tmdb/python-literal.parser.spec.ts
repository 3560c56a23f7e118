import { parsePythonLiteral, PythonLiteralError } from './python-literal.parser';

function errorOf(text: string): PythonLiteralError {
  try {
    parsePythonLiteral(text);
  } catch (e) {
    if (e instanceof PythonLiteralError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parsePythonLiteral', () => {
  it('parses both quote styles and the quote that Python picked to avoid escaping', () => {
    expect(parsePythonLiteral(`"L'Avventura"`)).toBe("L'Avventura");
    expect(parsePythonLiteral(`'It\\'s'`)).toBe("It's");
    expect(parsePythonLiteral(`'say "hi"'`)).toBe('say "hi"');
    expect(parsePythonLiteral(`""`)).toBe('');
  });

  it('decodes backslash escapes', () => {
    expect(parsePythonLiteral(String.raw`'a\nb\tc\\d\"e'`)).toBe('a\nb\tc\\d"e');
    expect(parsePythonLiteral(String.raw`'\x41\u00e9\U0001F600\101\0'`)).toBe('Aé😀A\0');
    // Python keeps unknown escapes verbatim.
    expect(parsePythonLiteral(String.raw`'C:\dir\q'`)).toBe('C:\\dir\\q');
  });

  it('keeps non-ASCII text as is', () => {
    expect(parsePythonLiteral(`['Zespół Filmowy "Kamera"', 'Français']`)).toEqual(['Zespół Filmowy "Kamera"', 'Français']);
  });

  it('parses numbers, booleans and None', () => {
    expect(parsePythonLiteral('42')).toBe(42);
    expect(parsePythonLiteral('-7')).toBe(-7);
    expect(parsePythonLiteral('373554033.0')).toBe(373554033);
    expect(parsePythonLiteral('8.2e-05')).toBeCloseTo(0.000082, 10);
    expect(parsePythonLiteral('.5')).toBe(0.5);
    expect(parsePythonLiteral('[True, False, None]')).toEqual([true, false, null]);
  });

  it('parses nested lists and dicts like the Kaggle columns, keeping key types', () => {
    const v = parsePythonLiteral(
      "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': None, 'parts': [{'id': 16, 'name': 'Animation'}], 1: 'int key', '1': 'str key'}",
    );
    expect(v).toBeInstanceOf(Map);
    const m = v as Map<unknown, unknown>;
    expect(m.get('id')).toBe(10194);
    expect(m.get('name')).toBe('Toy Story Collection');
    expect(m.get('poster_path')).toBeNull();
    expect(m.get(1)).toBe('int key');
    expect(m.get('1')).toBe('str key');
    const parts = m.get('parts') as Map<unknown, unknown>[];
    expect(parts).toHaveLength(1);
    expect(parts[0]!.get('name')).toBe('Animation');
  });

  it('accepts empty containers, trailing commas and line breaks between items', () => {
    expect(parsePythonLiteral('[]')).toEqual([]);
    expect((parsePythonLiteral('{}') as Map<unknown, unknown>).size).toBe(0);
    expect(parsePythonLiteral("[ 'a' ,\n 'b', ]")).toEqual(['a', 'b']);
    expect([...(parsePythonLiteral("{'a': 1, 'a': 2,}") as Map<unknown, unknown>)]).toEqual([['a', 2]]);
  });

  it.each([
    ["['a', 'b'", 'unterminated list (opened at offset 0)', 9],
    ["['a' 'b']", "expected ',' or ']' in list", 5],
    ["{'a' 1}", "expected ':' after dict key", 5],
    ["{'a': 1", 'unterminated dict (opened at offset 0)', 7],
    ["['ok', 'open]", 'unterminated string (opened at offset 7)', 7],
    ["'line\nbreak'", 'line break inside string', 5],
    ['[nan]', 'expected a value, found "nan]"', 1],
    ['Nonesuch', 'expected a value', 0],
    ["('a', 'b')", 'tuples are not supported', 0],
    ["['a'] x", 'unexpected "x" after the value', 6],
    ['0x1F', 'unsupported number syntax', 0],
    ['12345678901234567890', 'integer too large', 0],
    ['{[1]: 2}', 'dict key must be a string', 1],
    [String.raw`'\xZZ'`, 'invalid \\x escape', 1],
    [String.raw`'\N{DASH}'`, '\\N{...} escapes are not supported', 1],
    ['', 'expected a value, found end of input', 0],
  ])('rejects %j with a clear error and offset', (text, message, offset) => {
    const e = errorOf(text);
    expect(e.message).toContain(message);
    expect(e.offset).toBe(offset);
    expect(e.message).toMatch(new RegExp(`at offset ${offset}$`));
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(errorOf('['.repeat(10_000)).message).toContain('nesting deeper than 64 levels');
    expect(parsePythonLiteral('['.repeat(60) + ']'.repeat(60))).toBeInstanceOf(Array);
  });
});
