import { imdbList, imdbText, num, text, textArray } from './copy-format';

describe('COPY text encoding', () => {
  it('passes IMDb nulls through and doubles other backslashes', () => {
    expect(imdbText('\\N')).toBe('\\N');
    expect(imdbText('AC\\DC')).toBe('AC\\\\DC');
    expect(imdbText('\\Nope')).toBe('\\\\Nope');
    expect(text(null)).toBe('\\N');
    expect(text('a\tb\nc')).toBe('a\\tb\\nc');
  });

  it('quotes every array element and escapes quotes and backslashes inside', () => {
    expect(textArray(['Action', 'Sci-Fi'])).toBe('{"Action","Sci-Fi"}');
    expect(textArray(['He said "hi"'])).toBe('{"He said \\\\"hi\\\\""}');
    expect(textArray([])).toBe('{}');
    expect(imdbList('\\N')).toBe('{}');
    expect(imdbList('Drama,Romance')).toBe('{"Drama","Romance"}');
  });

  it('writes NaN as null', () => {
    expect(num(Number.NaN)).toBe('\\N');
    expect(num(7.5)).toBe('7.5');
  });
});
