import { cutFreeText, isNameTooLong, MAX_FREE_TEXT_CHARS, MAX_NAME_BYTES } from './text-limits';

describe('text limits', () => {
  it('measures names in UTF-8 bytes, the unit of an index entry', () => {
    expect(isNameTooLong('a'.repeat(MAX_NAME_BYTES))).toBe(false);
    expect(isNameTooLong('a'.repeat(MAX_NAME_BYTES + 1))).toBe(true);
    // 2 bytes a character: half as many characters fit.
    expect(isNameTooLong('é'.repeat(MAX_NAME_BYTES / 2))).toBe(false);
    expect(isNameTooLong('é'.repeat(MAX_NAME_BYTES / 2 + 1))).toBe(true);
    // 4 bytes for a surrogate pair (two UTF-16 units).
    expect(isNameTooLong('😀'.repeat(MAX_NAME_BYTES / 4))).toBe(false);
    expect(isNameTooLong('😀'.repeat(MAX_NAME_BYTES / 4 + 1))).toBe(true);
  });

  it('keeps a free text within the limit as it is, and cuts a longer one with an ellipsis', () => {
    const fits = 'x'.repeat(MAX_FREE_TEXT_CHARS);
    expect(cutFreeText(fits)).toBe(fits);
    const cut = cutFreeText('y'.repeat(MAX_FREE_TEXT_CHARS * 40));
    expect(cut).toHaveLength(MAX_FREE_TEXT_CHARS);
    expect(cut.endsWith('y…')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    for (const shift of [0, 1]) {
      const cut = cutFreeText('a'.repeat(shift) + '😀'.repeat(MAX_FREE_TEXT_CHARS));
      expect(cut.length).toBeLessThanOrEqual(MAX_FREE_TEXT_CHARS);
      expect(cut.endsWith('…')).toBe(true);
      // Well-formed UTF-16: no lone surrogate survives a round trip through UTF-8.
      expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
      expect(cut.slice(0, -1)).toBe('a'.repeat(shift) + '😀'.repeat((cut.length - 1 - shift) / 2));
    }
  });
});
