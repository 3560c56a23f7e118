import { CrewModel, ROSTER_CAST_FIRST } from './crew-model';
import type { GzipTsvWriter } from './gzip-tsv.writer';
import { type ImdbFile, nconstOf, type RowTargets, tconstOf } from './imdb-files';
import { charactersField, personName, regionalTitle, titleTexts } from './imdb-text';
import {
  AKA_ATTRIBUTES, AKA_REGIONS, AKA_TYPES, genreIndex, PRODUCER_JOBS, PROFESSIONS, REGION_LANGUAGES,
  SELF_CHARACTERS, SELF_GENRES, WRITER_JOBS,
} from './imdb-vocabulary';
import { PersonKind, type PersonModel } from './person-model';
import { Rng, WeightedTable } from './prng';
import { QuotaController, Stream, type TitleRecord, TitleType } from './title-model';

/**
 * One formatter per output file. Title formatters receive each title in tconst order and append
 * its rows; all randomness is re-seeded per title, so a formatter's output depends only on the
 * seed and the title facts, never on which other files are written alongside it.
 */

export interface GeneratorContext {
  seed: number;
  targets: RowTargets;
  persons: PersonModel;
}

export interface TitleRowsFormatter {
  readonly file: ImdbFile;
  emit(t: TitleRecord): void;
}

const NULL = '\\N';
const yearField = (y: number): string => (y > 0 ? String(y) : NULL);

export class BasicsRows implements TitleRowsFormatter {
  readonly file = 'title.basics';
  private readonly rng = new Rng();
  private readonly text = { primary: '', original: '' };

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly out: GzipTsvWriter,
  ) {}

  emit(t: TitleRecord): void {
    titleTexts(this.rng.reset(this.ctx.seed, Stream.text, t.index), t, this.text);
    this.out.row(
      `${t.tconst}\t${t.typeName}\t${this.text.primary}\t${this.text.original}\t${t.isAdult ? 1 : 0}\t${yearField(t.startYear)}\t${yearField(t.endYear)}\t${t.runtime > 0 ? t.runtime : NULL}\t${t.genres}\n`,
    );
  }
}

const REGIONS = WeightedTable.of(AKA_REGIONS);
const AKA_TYPE_TABLE = WeightedTable.of(AKA_TYPES);
/** Mean aka rows per title by type, before calibration; popular titles get many more. */
const AKAS_MEAN = [3.2, 3, 12, 2.5, 8, 5, 6, 3, 4, 2];
const MAX_AKAS = 250;

export class AkasRows implements TitleRowsFormatter {
  readonly file = 'title.akas';
  private readonly rng = new Rng();
  private readonly textRng = new Rng();
  private readonly text = { primary: '', original: '' };
  private readonly quota: QuotaController;

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly out: GzipTsvWriter,
  ) {
    this.quota = new QuotaController(ctx.targets['title.akas'], ctx.targets['title.basics'], 50);
  }

  emit(t: TitleRecord): void {
    const rng = this.rng.reset(this.ctx.seed, Stream.akas, t.index);
    const popularBoost = t.popularity > 2 ? 1 + 0.6 * (t.popularity - 2) : 1;
    const mean = (AKAS_MEAN[t.type] as number) * popularBoost * this.quota.factor(t.index);
    const hasOriginal = t.type !== TitleType.tvEpisode || rng.chance(0.7);
    const drawn = (hasOriginal ? 1 : 0) + rng.count(mean - (hasOriginal ? 1 : 0));
    const n = this.quota.clamp(t.index, drawn, MAX_AKAS);
    this.quota.add(n);
    if (n === 0) return;
    titleTexts(this.textRng.reset(this.ctx.seed, Stream.text, t.index), t, this.text);
    let ordering = 1;
    if (hasOriginal) {
      this.out.row(`${t.tconst}\t1\t${this.text.original}\t${NULL}\t${NULL}\toriginal\t${NULL}\t1\n`);
      ordering = 2;
    }
    for (; ordering <= n; ordering++) {
      const region = rng.chance(0.03) ? NULL : REGIONS.draw(rng);
      let title: string | null = rng.chance(0.35) ? regionalTitle(rng, region) : null;
      if (title === null) title = rng.chance(0.85) ? this.text.primary : this.text.original;
      const languages = REGION_LANGUAGES[region];
      const language = languages !== undefined && rng.chance(0.15) ? rng.pick(languages) : NULL;
      const type = AKA_TYPE_TABLE.draw(rng);
      const attributes = rng.chance(0.08) ? rng.pick(AKA_ATTRIBUTES) : NULL;
      this.out.row(`${t.tconst}\t${ordering}\t${title}\t${region}\t${language}\t${type}\t${attributes}\t0\n`);
    }
  }
}

function nconstList(ids: readonly number[]): string {
  if (ids.length === 0) return NULL;
  let s = nconstOf(ids[0] as number);
  for (let k = 1; k < ids.length; k++) s += ',' + nconstOf(ids[k] as number);
  return s;
}

export class CrewRows implements TitleRowsFormatter {
  readonly file = 'title.crew';
  private readonly crew: CrewModel;

  constructor(
    ctx: GeneratorContext,
    private readonly out: GzipTsvWriter,
  ) {
    this.crew = new CrewModel(ctx.seed, ctx.persons);
  }

  emit(t: TitleRecord): void {
    this.crew.compute(t);
    this.out.row(`${t.tconst}\t${nconstList(this.crew.directors)}\t${nconstList(this.crew.writers)}\n`);
  }
}

export class EpisodeRows implements TitleRowsFormatter {
  readonly file = 'title.episode';

  constructor(private readonly out: GzipTsvWriter) {}

  emit(t: TitleRecord): void {
    if (t.type !== TitleType.tvEpisode) return;
    const numbered = t.season > 0;
    this.out.row(`${t.tconst}\t${t.parentTconst}\t${numbered ? t.season : NULL}\t${numbered ? t.episode : NULL}\n`);
  }
}

const RATING_TEXT: readonly string[] = Array.from({ length: 101 }, (_, tenths) => (tenths / 10).toFixed(1));

export class RatingsRows implements TitleRowsFormatter {
  readonly file = 'title.ratings';

  constructor(private readonly out: GzipTsvWriter) {}

  emit(t: TitleRecord): void {
    if (t.votes > 0) this.out.row(`${t.tconst}\t${RATING_TEXT[t.ratingTenths]}\t${t.votes}\n`);
  }
}

/** Mean cast rows (actors, actresses, self) by type, before calibration. */
const CAST_MEAN = [4.5, 3, 6.5, 4, 5, 6, 6, 5, 5, 3];
const MAX_CAST = 40;
const SELF_MASK = SELF_GENRES.reduce((mask, name) => mask | (1 << genreIndex(name)), 0);
const EXTRA_CREW: readonly (readonly [string, PersonKind, number, number])[] = [
  // category, kind, chance on films, chance elsewhere
  ['producer', PersonKind.producer, 0.6, 0.4],
  ['composer', PersonKind.composer, 0.3, 0.12],
  ['cinematographer', PersonKind.technician, 0.3, 0.1],
  ['editor', PersonKind.technician, 0.25, 0.1],
  ['production_designer', PersonKind.technician, 0.06, 0.02],
  ['casting_director', PersonKind.technician, 0.05, 0.02],
];

export class PrincipalsRows implements TitleRowsFormatter {
  readonly file = 'title.principals';
  private readonly rng = new Rng();
  private readonly crew: CrewModel;
  private readonly quota: QuotaController;
  private readonly persons: PersonModel;
  private tconst = '';
  private ordering = 0;
  private readonly castSeen: number[] = [];

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly out: GzipTsvWriter,
  ) {
    this.crew = new CrewModel(ctx.seed, ctx.persons);
    this.persons = ctx.persons;
    this.quota = new QuotaController(ctx.targets['title.principals'], ctx.targets['title.basics'], 50);
  }

  emit(t: TitleRecord): void {
    const rng = this.rng.reset(this.ctx.seed, Stream.principals, t.index);
    this.crew.compute(t);
    const film = t.type === TitleType.movie || t.type === TitleType.tvMovie || t.type === TitleType.short;
    let extras = 0;
    const extraMask: number[] = [];
    for (let k = 0; k < EXTRA_CREW.length; k++) {
      const spec = EXTRA_CREW[k] as (typeof EXTRA_CREW)[number];
      if (rng.chance(film ? spec[2] : spec[3])) {
        extraMask.push(k);
        extras++;
      }
    }
    const crewRows = this.crew.directors.length + this.crew.writers.length + extras;
    const popularBoost = t.popularity > 2 ? 1.5 * (t.popularity - 2) : 0;
    const castMean = ((CAST_MEAN[t.type] as number) + popularBoost) * this.quota.factor(t.index);
    let cast = Math.min(MAX_CAST, rng.count(castMean));
    const total = this.quota.clamp(t.index, cast + crewRows, MAX_CAST + crewRows + 20);
    // The quota may ask for fewer rows (drop crew extras last) or more (more cast).
    cast = Math.max(0, total - crewRows);
    let crewBudget = total - cast;
    this.quota.add(total);
    if (total === 0) return;

    this.tconst = t.tconst;
    this.ordering = 0;
    const selfShow = (t.genreMask & SELF_MASK) !== 0 && rng.chance(0.55);
    const castSeen = this.castSeen;
    castSeen.length = 0;
    for (let k = 0; k < cast; k++) {
      const regular = t.type === TitleType.tvEpisode && k < 8 && rng.chance(0.7);
      let person = regular
        ? this.crew.rosterMember(t.parent, ROSTER_CAST_FIRST + k, PersonKind.performer)
        : this.persons.sample(rng, PersonKind.performer);
      // One person plays one part per title; a few redraws settle it even at tiny scales.
      for (let tries = 0; castSeen.includes(person) && tries < 4; tries++) person = this.persons.sample(rng, PersonKind.performer);
      castSeen.push(person);
      const female = this.persons.isFemale(person);
      if (selfShow) this.put(person, 'self', NULL, rng.pick(SELF_CHARACTERS));
      else if (rng.chance(0.004)) this.put(person, 'archive_footage', NULL, '["Self"]');
      else this.put(person, female ? 'actress' : 'actor', NULL, charactersField(rng, female));
    }
    for (const d of this.crew.directors) if (crewBudget-- > 0) this.put(d, 'director', NULL, NULL);
    for (const w of this.crew.writers) if (crewBudget-- > 0) this.put(w, 'writer', rng.pick(WRITER_JOBS), NULL);
    for (const k of extraMask) {
      if (crewBudget-- <= 0) break;
      const spec = EXTRA_CREW[k] as (typeof EXTRA_CREW)[number];
      const category = spec[0];
      const job = category === 'producer' ? rng.pick(PRODUCER_JOBS) : category === 'cinematographer' ? 'director of photography' : NULL;
      this.put(this.persons.sample(rng, spec[1]), category, job, NULL);
    }
  }

  private put(person: number, category: string, job: string, characters: string): void {
    this.ordering++;
    this.out.row(`${this.tconst}\t${this.ordering}\t${nconstOf(person)}\t${category}\t${job}\t${characters}\n`);
  }
}

/** name.basics is not driven by titles: it runs over person indices. */
export class NamesRows {
  readonly file = 'name.basics';
  private readonly rng = new Rng();
  private readonly professions: string[] = [];
  private readonly knownPicked: number[] = [];
  private readonly titleCount: number;

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly out: GzipTsvWriter,
  ) {
    this.titleCount = ctx.targets['title.basics'];
  }

  emit(j: number): void {
    const rng = this.rng.reset(this.ctx.seed, Stream.names, j);
    const persons = this.ctx.persons;
    const female = persons.isFemale(j);
    const name = personName(rng, female);
    // Well-known (low-numbered) people mostly have a birth year; most of the tail does not.
    const born = rng.chance(j < 5000 ? 0.9 : 0.32) ? Math.max(1840, Math.min(2018, Math.round(1970 + 22 * rng.normal()))) : 0;
    let died = 0;
    if (born > 0) {
      const deadChance = born < 1925 ? 0.92 : born < 1950 ? 0.45 : born < 1970 ? 0.08 : 0.02;
      if (rng.chance(deadChance)) {
        const at = Math.min(2025, born + Math.round(74 + 12 * rng.normal()));
        died = at > born ? at : 0;
      }
    }
    const profession = rng.chance(0.08) ? NULL : this.professionsOf(rng, persons.kindOf(j), female);
    const known = this.knownFor(rng, j);
    this.out.row(`${nconstOf(j)}\t${name}\t${yearField(born)}\t${yearField(died)}\t${profession}\t${known}\n`);
  }

  private professionsOf(rng: Rng, kind: PersonKind, female: boolean): string {
    const list = this.professions;
    list.length = 0;
    let pool: readonly string[];
    switch (kind) {
      case PersonKind.performer:
        list.push(female ? 'actress' : 'actor');
        pool = PROFESSIONS.performerExtra;
        break;
      case PersonKind.director:
        pool = PROFESSIONS.director;
        break;
      case PersonKind.writer:
        pool = PROFESSIONS.writer;
        break;
      case PersonKind.producer:
        pool = PROFESSIONS.producer;
        break;
      case PersonKind.composer:
        pool = PROFESSIONS.composer;
        break;
      default:
        pool = PROFESSIONS.technician;
    }
    if (list.length === 0) list.push(pool[0] as string);
    const extra = rng.int(3);
    for (let k = 0; k < extra; k++) {
      let p = rng.pick(pool);
      if (p === 'actor' && female) p = 'actress';
      if (!list.includes(p)) list.push(p);
    }
    if (kind === PersonKind.technician && rng.chance(0.7)) list[0] = rng.pick(pool);
    return [...new Set(list)].join(',');
  }

  private knownFor(rng: Rng, j: number): string {
    if (rng.chance(0.12)) return NULL;
    const n = Math.min(this.titleCount, j < 50_000 ? 4 : 1 + rng.int(3));
    const picked = this.knownPicked;
    picked.length = 0;
    while (picked.length < n) {
      const title = rng.int(this.titleCount);
      if (!picked.includes(title)) picked.push(title);
    }
    let s = tconstOf(picked[0] as number);
    for (let k = 1; k < n; k++) s += ',' + tconstOf(picked[k] as number);
    return s;
  }
}
