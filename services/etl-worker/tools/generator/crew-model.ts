import { PersonKind, type PersonModel } from './person-model';
import { Rng, WeightedTable } from './prng';
import { Stream, type TitleRecord, TitleType } from './title-model';

/**
 * Directors and writers of a title. Both title.crew and title.principals call this with the same
 * seed, so every `director` principal is also in the crew row of that title, as in the real dump.
 * Episodes draw most of their crew from a small per-series roster, which is how a handful of TV
 * directors end up with hundreds of credits.
 */

const counts = (weights: number[]): WeightedTable<number> => new WeightedTable(weights.map((_, i) => i), weights);

/** Index = TitleType; weights for 0, 1, 2, 3… people. */
const DIRECTOR_COUNTS: readonly WeightedTable<number>[] = [
  counts([0.35, 0.6, 0.05]),
  counts([0.15, 0.8, 0.05]),
  counts([0.08, 0.82, 0.08, 0.02]),
  counts([0.25, 0.7, 0.05]),
  counts([0.7, 0.15, 0.1, 0.05]),
  counts([0.08, 0.88, 0.04]),
  counts([0.3, 0.5, 0.15, 0.05]),
  counts([0.3, 0.65, 0.05]),
  counts([0.7, 0.25, 0.05]),
  counts([0.3, 0.65, 0.05]),
];

const WRITER_COUNTS: readonly WeightedTable<number>[] = [
  counts([0.4, 0.3, 0.2, 0.07, 0.03]),
  counts([0.45, 0.45, 0.08, 0.02]),
  counts([0.25, 0.35, 0.25, 0.1, 0.05]),
  counts([0.5, 0.35, 0.1, 0.05]),
  counts([0.5, 0.2, 0.15, 0.1, 0.05]),
  counts([0.2, 0.45, 0.25, 0.07, 0.03]),
  counts([0.3, 0.3, 0.2, 0.1, 0.1]),
  counts([0.5, 0.3, 0.15, 0.05]),
  counts([0.6, 0.2, 0.1, 0.05, 0.05]),
  counts([0.5, 0.4, 0.1]),
];

/** Roster slots per series: 0-3 directors, 4-7 writers, 8-15 regular cast. */
export const ROSTER_SLOTS = 16;
export const ROSTER_CAST_FIRST = 8;
const ROSTER_SHARE = 0.6;

export class CrewModel {
  readonly directors: number[] = [];
  readonly writers: number[] = [];
  private readonly rng = new Rng();
  private readonly rosterRng = new Rng();

  constructor(
    private readonly seed: number,
    private readonly persons: PersonModel,
  ) {}

  /** Member `slot` of the roster of series `seriesIndex`: the same person for every episode. */
  rosterMember(seriesIndex: number, slot: number, kind: PersonKind): number {
    const rng = this.rosterRng.reset(this.seed, Stream.seriesCrew, seriesIndex * ROSTER_SLOTS + slot);
    return this.persons.sample(rng, kind);
  }

  /** Fill `directors` and `writers` for title `t`. */
  compute(t: TitleRecord): void {
    const rng = this.rng.reset(this.seed, Stream.crew, t.index);
    this.fill(this.directors, (DIRECTOR_COUNTS[t.type] as WeightedTable<number>).draw(rng), t, rng, PersonKind.director, 0);
    this.fill(this.writers, (WRITER_COUNTS[t.type] as WeightedTable<number>).draw(rng), t, rng, PersonKind.writer, 4);
  }

  private fill(list: number[], n: number, t: TitleRecord, rng: Rng, kind: PersonKind, rosterBase: number): void {
    list.length = 0;
    const episode = t.type === TitleType.tvEpisode;
    for (let k = 0; k < n; k++) {
      const person =
        episode && rng.chance(ROSTER_SHARE) ? this.rosterMember(t.parent, rosterBase + rng.int(4), kind) : this.persons.sample(rng, kind);
      if (!list.includes(person)) list.push(person);
    }
  }
}
