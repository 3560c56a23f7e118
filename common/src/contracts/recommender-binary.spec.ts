import {
  BATCH_TASTE_TITLES_MAX,
  BatchBodyError,
  type BatchScoresHeader,
  decodeBatchScores,
  decodeBatchTastes,
  encodeBatchScores,
  encodeBatchTastes,
  RECOMMEND_BATCH_TASTES_MAX,
  roundScore,
  tconstCode,
  tconstOfCode,
} from './recommender.contract';

/** The batch route's binary bodies (recommender.contract.ts): what the notifier writes, the recommender reads back, and the reverse. */
describe('batch tastes as title codes', () => {
  it('keeps every tconst apart, zero padding included, and gives it back', () => {
    const ids = ['tt0068646', 'tt00068646', 'tt10872600', 'tt0000001', 'tt9999999999', 'tt00000000'];
    const codes = ids.map((t) => tconstCode(t));
    expect(new Set(codes).size).toBe(ids.length);
    for (const [i, code] of codes.entries()) expect(tconstOfCode(code!)).toBe(ids[i]);
    // Today's 7- and 8-digit ids stay small integers.
    expect(tconstCode('tt99999999')!).toBeLessThan(2 ** 30);
    for (const bad of ['', 'tt', 'tt123456', 'tt12345678901', 'nm0000001', 'tt12345a7', 'TT0068646', 'le parrain', 'tt 068646']) expect([bad, tconstCode(bad)]).toEqual([bad, null]);
    for (const bad of [-1, 0.5, Number.NaN, 2 ** 60, 10 ** 7 * 4]) expect(tconstOfCode(bad)).toBeNull();
  });

  it('round-trips tastes, counts and header', () => {
    const tastes = [{ liked: ['tt0068646', 'tt0110912'], disliked: ['tt0211915'] }, { liked: [] }, { liked: ['tt10872600'], disliked: [] }];
    const body = encodeBatchTastes(tastes, { candidates: ['tt0086190'], fit: false });
    const { header, counts, titles } = decodeBatchTastes(body);
    expect(header).toEqual({ candidates: ['tt0086190'], fit: false, tastes: 3 });
    expect([...counts]).toEqual([2, 1, 0, 0, 1, 0]);
    expect([...titles].map((c) => tconstOfCode(c))).toEqual(['tt0068646', 'tt0110912', 'tt0211915', 'tt10872600']);
    // Read from a Buffer at an odd offset, as a server may receive it.
    const shifted = new Uint8Array(body.length + 3);
    shifted.set(body, 3);
    expect([...decodeBatchTastes(shifted.subarray(3)).titles]).toEqual([...titles]);
  });

  it('refuses a bad title before sending, naming its place and never its value', () => {
    const attempt = () => encodeBatchTastes([{ liked: ['tt0068646'] }, { liked: ['tt0110912'], disliked: ['tt0211915', 'mon film secret'] }], { candidates: [] });
    expect(attempt).toThrow(BatchBodyError);
    expect(attempt).toThrow('tastes/1/disliked/1: not an IMDb title id');
    expect(attempt).not.toThrow(/secret/);
    expect(() => encodeBatchTastes([{ liked: Array.from({ length: BATCH_TASTE_TITLES_MAX + 1 }, () => 'tt0068646') }], { candidates: [] })).toThrow('tastes/0/liked: more than 100 titles');
  });

  it('refuses a malformed body naming the field', () => {
    const good = encodeBatchTastes([{ liked: ['tt0068646'] }], { candidates: ['tt0086190'] });
    const withHeader = (header: unknown) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const body = new Uint8Array(Math.ceil((4 + json.length) / 8) * 8 + 8 + 8);
      new DataView(body.buffer).setUint32(0, json.length, true);
      body.set(json, 4);
      return body;
    };
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(2), 'body: too short'],
      [good.subarray(0, good.length - 8), 'body: '],
      [Uint8Array.from([...good, 0, 0, 0, 0, 0, 0, 0, 0]), 'body: '],
      [withHeader({ tastes: 0, candidates: [] }), 'header/tastes'],
      [withHeader({ tastes: RECOMMEND_BATCH_TASTES_MAX + 1, candidates: [] }), 'header/tastes'],
      [withHeader({ tastes: 1, candidates: ['le parrain'] }), 'header/candidates/0'],
      [withHeader({ tastes: 1, candidates: [], fit: 'yes' }), 'header/fit'],
      [withHeader({ tastes: 1, candidates: [], k: 3 }), 'header: unknown field "k"'],
      [withHeader([1]), 'header: not an object'],
    ];
    for (const [body, field] of cases) expect(() => decodeBatchTastes(body)).toThrow(field);
    const tooMany = withHeader({ tastes: 1, candidates: [] });
    tooMany[Math.ceil((4 + new DataView(tooMany.buffer).getUint32(0, true)) / 8) * 8] = BATCH_TASTE_TITLES_MAX + 1;
    expect(() => decodeBatchTastes(tooMany)).toThrow('tastes/0/liked: more than 100 titles');
  });
});

describe('batch scores as float32', () => {
  const header: BatchScoresHeader = { version: 7, films: ['tt1', 'tt2', 'tt3'].map((t) => t.padEnd(9, '0')), unknown: [], tastes: 2, coldStart: [1], cold: [0.71, 0.52, 0.33], unknownOf: { 1: ['tt0000009'] }, encodedOf: {}, fit: true };

  it('round-trips header, scores and fitScore, NaN included', () => {
    const scores = Float32Array.from([0.5, Number.NaN, -0.25, 0.71, 0.52, 0.33]);
    const fitScores = Float64Array.from([0.42, Number.NaN]);
    const body = encodeBatchScores({ header, scores, fitScores });
    const back = decodeBatchScores(body);
    expect(back.header).toEqual(header);
    expect([...back.scores]).toEqual([...scores]);
    expect([...back.fitScores!]).toEqual([...fitScores]);
    expect(decodeBatchScores(encodeBatchScores({ header: { ...header, fit: false }, scores, fitScores: null })).fitScores).toBeNull();
  });

  it('refuses an answer whose sizes disagree with its header', () => {
    expect(() => encodeBatchScores({ header, scores: new Float32Array(5), fitScores: new Float64Array(2) })).toThrow(/tastes × films/);
    const body = encodeBatchScores({ header, scores: new Float32Array(6), fitScores: new Float64Array(2) });
    expect(() => decodeBatchScores(body.subarray(0, body.length - 8))).toThrow(/bytes where the header announces/);
  });

  it('rounds a float32 score as the JSON answer writes it, Number(x.toFixed(6)), ties and signs included', () => {
    const f = new Float32Array(1);
    const bits = new Uint32Array(f.buffer);
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    const values: number[] = [0, -0, 0.5, -0.5, 0.0078125, -0.0078125, 1.5e-7, 2.5e-7, -2.5e-7];
    for (let k = -500; k < 500; k++) values.push(k / 128, k / 1024);
    for (let i = 0; i < 200_000; i++) {
      bits[0] = next();
      if (Number.isFinite(f[0]!) && Math.abs(f[0]!) < 16) values.push(f[0]!);
      f[0] = (next() / 2 ** 32) * 4 - 2;
      values.push(f[0]!);
    }
    const differing = values.filter((x) => !Object.is(roundScore(x), Number(x.toFixed(6))));
    expect(differing).toEqual([]);
  });
});
