import { hash3, Rng } from './prng';

/**
 * Who gets credited. Persons are indices 0..nameCount-1 of name.basics; their traits are pure
 * functions of (seed, index) so the principals writer and the names writer agree without sharing
 * state (they may run in different workers).
 */

export const PersonKind = {
  performer: 0,
  director: 1,
  writer: 2,
  producer: 3,
  composer: 4,
  technician: 5,
} as const;
export type PersonKind = (typeof PersonKind)[keyof typeof PersonKind];

/**
 * A person's kind is read off their index modulo 20. Sampling "a director" then only needs to snap
 * a popularity rank to the nearest index of the right residue: no table, no rejection loop.
 */
const KIND_PERIOD = 20;
const KIND_BY_RESIDUE: readonly PersonKind[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 65% performers
  1, 1, // directors
  2, 2, // writers
  3, // producers
  4, // composers
  5, // technicians (cinematographers, editors, designers...)
];
const RESIDUES_BY_KIND: readonly (readonly number[])[] = [0, 1, 2, 3, 4, 5].map((k) =>
  KIND_BY_RESIDUE.flatMap((kind, residue) => (kind === k ? [residue] : [])),
);

/** Principals and crew entries pointing at no name row, as a few do in the real dump. */
export const DANGLING_SHARE = 0.005;
/**
 * Popularity ranks follow a Lomax (Pareto II) law, P(rank > r) = (1 + r/q)^-α with α = 1/4:
 * Zipf-like at the head, and the draws that fall past the last name are spread uniformly. At
 * scale 1 (15.1 M names, q = 600) the top person gets ≈ α/q ≈ 0.04% of the draws (≈ 20 k
 * credits, before recurring TV roles), ≈ 8% of draws spill uniformly, and the tail averages about
 * a third of a credit per person: most credited people have exactly one, and many names have
 * none in principals, like crew-only people in the real dump. q shrinks with √(names) so smaller
 * scales keep a head without letting the spill swamp the tail.
 */
const FULL_SCALE_NAMES = 15_100_000;
const FULL_SCALE_OFFSET = 600;
const SALT_GENDER = 0x5eed_0001;

export class PersonModel {
  private readonly offset: number;

  constructor(
    private readonly seed: number,
    readonly nameCount: number,
  ) {
    if (nameCount < 1) throw new RangeError('nameCount must be at least 1');
    this.offset = Math.max(1, FULL_SCALE_OFFSET * Math.sqrt(Math.min(1, nameCount / FULL_SCALE_NAMES)));
  }

  kindOf(index: number): PersonKind {
    return KIND_BY_RESIDUE[index % KIND_PERIOD] as PersonKind;
  }

  /** ≈ 45% women, matching actress/actor shares of principals. */
  isFemale(index: number): boolean {
    return hash3(this.seed, SALT_GENDER, index) % 100 < 45;
  }

  /** A popularity rank: low ranks (low nconsts, as with nm0000001) are credited far more often. */
  sampleRank(rng: Rng): number {
    const x = 1 / (1 - rng.float());
    const x2 = x * x;
    const rank = Math.floor(this.offset * (x2 * x2 - 1)); // (1 - u)^(-1/α) with α = 1/4
    return rank < this.nameCount ? rank : rng.int(this.nameCount);
  }

  /**
   * A person of the given kind, or now and then an index at or past nameCount: a dangling
   * reference whose nconst is never written to name.basics.
   */
  sample(rng: Rng, kind: PersonKind): number {
    if (rng.chance(DANGLING_SHARE)) return this.nameCount + rng.int(Math.max(1, Math.floor(this.nameCount / 50)));
    const rank = this.sampleRank(rng);
    const residues = RESIDUES_BY_KIND[kind] as readonly number[];
    const residue = residues.length === 1 ? (residues[0] as number) : (residues[rng.int(residues.length)] as number);
    let index = rank - (rank % KIND_PERIOD) + residue;
    if (index >= this.nameCount) index -= KIND_PERIOD;
    if (index < 0) index = Math.min(residue, this.nameCount - 1);
    return index;
  }
}
