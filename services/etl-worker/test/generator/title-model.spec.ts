import { Rng } from '../../tools/generator/prng';
import { PersonKind, PersonModel } from '../../tools/generator/person-model';
import { QuotaController, TitleModel, TitleType, TYPE_SHARES } from '../../tools/generator/title-model';

describe('QuotaController', () => {
  it.each([
    [1000, 10_000, 1],
    [55_300, 12_300, 250],
    [7, 5, 3],
  ])('lands exactly on %i over %i items whatever the draws', (target, items, max) => {
    const quota = new QuotaController(target, items, 20);
    const rng = new Rng(9);
    for (let i = 0; i < items; i++) {
      // A deliberately miscalibrated draw: the controller must still hit the target.
      const drawn = Math.min(max, rng.count(((0.6 * target) / items) * quota.factor(i)));
      const n = quota.clamp(i, drawn, max);
      if (n < 0) throw new Error(`negative count at ${i}`);
      quota.add(n);
    }
    expect(quota.total).toBe(target);
  });
});

describe('TitleModel', () => {
  it('has type shares adding up to one', () => {
    expect(TYPE_SHARES.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(TYPE_SHARES[TitleType.tvEpisode]).toBeCloseTo(9.5 / 12.3, 12);
  });

  it('rates exactly the requested number of titles and points episodes at earlier series', () => {
    const titles = 20_000;
    const model = new TitleModel(11, titles, 2_600);
    const types: number[] = [];
    let rated = 0;
    const problems: string[] = [];
    while (!model.done) {
      const t = model.advance();
      types.push(t.type);
      if (t.votes > 0) {
        rated++;
        if (t.ratingTenths < 10 || t.ratingTenths > 100) problems.push(`${t.tconst} rating ${t.ratingTenths}`);
      }
      const parentType = types[t.parent];
      if (t.type === TitleType.tvEpisode) {
        if (!(t.parent >= 0 && t.parent < t.index && (parentType === TitleType.tvSeries || parentType === TitleType.tvMiniSeries))) {
          problems.push(`${t.tconst} parent ${t.parent}`);
        }
      } else if (t.parent !== -1) problems.push(`${t.tconst} has a parent`);
    }
    expect(problems).toEqual([]);
    expect(rated).toBe(2_600);
  });
});

describe('PersonModel', () => {
  it('samples people of the asked kind, with a small share of dangling references', () => {
    const persons = new PersonModel(5, 100_000);
    const rng = new Rng(1);
    let dangling = 0;
    const n = 50_000;
    let wrongKind = 0;
    for (let k = 0; k < n; k++) {
      const p = persons.sample(rng, PersonKind.director);
      if (p >= persons.nameCount) dangling++;
      else if (persons.kindOf(p) !== PersonKind.director) wrongKind++;
    }
    expect(wrongKind).toBe(0);
    expect(dangling / n).toBeGreaterThan(0.002);
    expect(dangling / n).toBeLessThan(0.01);
  });
});
