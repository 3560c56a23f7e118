import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type Logger, redact } from '@cine/common';
import type { CatalogueSchema, CatalogueTable } from '@cine/db';
import type { CatalogueRepository } from '../catalogue/catalogue.repository';
import { imdbList, imdbText, NULL, num, textArray } from '../catalogue/copy-format';
import { copyInSegments, copyInSegmentsSplit, CopyRefusedError, type SourcedChunk } from '../catalogue/copy-segments';
import { type ImportContext, ImportInterruptedError, rejectShareProblem, throwIfInterrupted } from '../catalogue/import-run';
import type { LedgerRepository } from '../catalogue/ledger.repository';
import { MAX_NAME_BYTES } from '../catalogue/text-limits';
import { isUrl, type SourceRepository } from '../sources/source.repository';
import { classifyWithContext, type FilterPolicy, inFilmIndex, typesAnyRuleKeeps } from './filter-policy';
import { datasetFileName, IMDB_DATASETS, type ImdbDataset, ImdbInputError, REQUIRED_DATASETS } from './imdb-datasets';
import { DenseIdSet, IntMap, IntSet } from './int-set';
import { field, idAt, intAt, isNull, M, N, parseId, T, textField, TsvReader, type TsvRowHandler } from './tsv.reader';

const FLUSH_CHARS = 1 << 18;
// Measured at scale 0.1: 1 MB pieces import fastest (7.6 s, 490 MB RSS); 64 KB ones save 90 MB
// but cost 5 % of time; 256 KB ones are worst for memory (760 MB, GC heuristics).
const GUNZIP_CHUNK = 1024 * 1024;
const PROGRESS_EVERY_MS = 250;

/**
 * Sources are read latest first, and an id that a later source had in a dataset is skipped in
 * the earlier ones: "the later folder wins", per dataset, without holding more than the kept ids.
 */
class SourceClaims {
  private readonly later = new IntSet();
  private current = new IntSet();

  /** null when the row may be kept; else why not. `unique`: one row per id (episodes, names). */
  take(id: number, unique: boolean): 'overridden' | 'duplicate' | null {
    if (this.later.has(id)) return 'overridden';
    if (!this.current.add(id) && unique) return 'duplicate';
    return null;
  }

  nextSource(): void {
    this.later.addAll(this.current);
    this.current = new IntSet();
  }
}

/** COPY text not yet handed on, and the file line of each of its rows. */
class RowQueue {
  out = '';
  private lines = new Int32Array(1024);
  private rows = 0;

  constructor(private readonly target?: string) {}

  push(row: string, line: number): void {
    this.out += row;
    if (this.rows === this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.rows++] = line;
  }

  take(file: string, endOfFile: boolean): SourcedChunk {
    const chunk: SourcedChunk = { text: this.out, file, lines: this.lines.slice(0, this.rows), endOfFile };
    if (this.target !== undefined) chunk.target = this.target;
    this.out = '';
    this.rows = 0;
    return chunk;
  }
}

/** Per-file counters: what the ledger records for one file of one source. */
class FileScan {
  readonly reader: TsvReader;
  private readonly main = new RowQueue();
  /** Rows of a second table filled by the same read (title.basics: the film index), if any. */
  readonly side: RowQueue | null;
  kept = 0;
  /** Rows written to the side table. */
  sideRows = 0;
  readonly dropped: Record<string, number> = {};

  constructor(
    private readonly location: string,
    header: readonly string[],
    sideTarget?: string,
  ) {
    this.reader = new TsvReader(location, header);
    this.side = sideTarget === undefined ? null : new RowQueue(sideTarget);
  }

  get out(): string {
    return this.main.out;
  }

  drop(rule: string): void {
    this.dropped[rule] = (this.dropped[rule] ?? 0) + 1;
  }

  /** Queue one COPY row of the line being read; `keep()` counts the input row, which may emit several (crew). */
  emit(row: string): void {
    this.main.push(row, this.reader.line);
  }

  /** Queue one COPY row of the side table for the line being read. */
  emitSide(row: string): void {
    this.side!.push(row, this.reader.line);
    this.sideRows++;
  }

  keep(): void {
    this.kept++;
  }

  /** The queued rows with their lines, handed on; `endOfFile` once the file is read. */
  take(endOfFile: boolean): SourcedChunk {
    return this.main.take(this.location, endOfFile);
  }

  takeSide(endOfFile: boolean): SourcedChunk {
    return this.side!.take(this.location, endOfFile);
  }
}

/** The first of `columns` (index, name) past the name limit, as a reject reason; the scanned text has one char a byte. */
function overLongName(f: Int32Array, columns: ReadonlyArray<readonly [number, string]>): string | null {
  for (const [i, name] of columns) {
    if (f[i + 1]! - 1 - f[i]! > MAX_NAME_BYTES) return `${name} longer than ${MAX_NAME_BYTES} bytes`;
  }
  return null;
}

const TITLE_NAME_COLUMNS = [[2, 'primaryTitle'], [3, 'originalTitle'], [8, 'genres']] as const;
const AKA_NAME_COLUMNS = [[2, 'title']] as const;
const PERSON_NAME_COLUMNS = [[1, 'primaryName']] as const;

/** Ids are written in IMDb's canonical form (7 digits at least), whatever the input's padding. */
function tconst(id: number): string {
  return `tt${String(id).padStart(7, '0')}`;
}

function nconst(id: number): string {
  return `nm${String(id).padStart(7, '0')}`;
}

function splitMulti(raw: string, separator: string): string {
  return raw === NULL || raw === '' ? '{}' : textArray(raw.split(separator));
}

/**
 * The passes of one IMDb import over every source, in the order that keeps memory to the kept ids:
 * ratings, then basics decide the kept titles; episodes, akas, crew and principals keep only rows
 * of those titles and collect the people they name; names keep only those people.
 */
export class ImdbPasses {
  readonly totals = { read: 0, kept: 0, rejected: 0 };
  private readonly absent: string[] = [];
  private readonly perDataset: Record<string, { read: number; kept: number; rejected: number; dropped: Record<string, number> }> = {};
  private readonly ratings = new IntMap(2);
  private votesKnown = false;
  /** Rows written to the film index. */
  private filmIndexRows = 0;
  /** Every tconst of title.basics: tells a dangling reference from a filtered-out title. */
  private readonly allTitles = new DenseIdSet();
  private readonly kept = new IntSet(1 << 14);
  private readonly keptSeries = new IntSet(1 << 10);
  private readonly people = new IntSet(1 << 14);
  private readonly episodes = new IntMap(2);
  private readonly fileCount: number;
  private fileIndex = 0;
  private lastProgress = 0;

  constructor(
    private readonly runId: number,
    private readonly roots: string[],
    private readonly policy: FilterPolicy,
    private readonly schema: CatalogueSchema,
    private readonly catalogue: CatalogueRepository,
    private readonly ledger: LedgerRepository,
    private readonly sources: SourceRepository,
    private readonly log: Logger,
    private readonly ctx: ImportContext,
    /** Films with a séance not cancelled (rule `programmed`), read before the run started. */
    private readonly programmed: IntSet,
    /** The year the run started in (rule `recent`). */
    private readonly thisYear: number,
  ) {
    this.fileCount = roots.length * Object.keys(IMDB_DATASETS).length;
  }

  async execute() {
    await this.ratingsPass();
    await this.basicsPass();
    // The film index is whole once title.basics is read: its trigram index builds on another
    // connection while the other passes load (on PGlite, one connection, after them). At scale
    // 0.1 that hid about 0.9 s of a 12 s import.
    const filmIndexSearch = this.catalogue.buildFilmIndexSearch(this.schema);
    // Once title.akas is loaded, the French titles (an UPDATE of every title with one: 3 s at
    // scale 1) and the statistics of the tables already whole are made on another connection
    // while crew, principals and names load, rather than after them.
    let titlesFinished: Promise<number> | null = null;
    try {
      await this.episodePass();
      await this.copy('title_aka', ['tconst', 'ordering', 'title', 'region', 'language', 'types', 'attributes', 'is_original_title'], this.akasRows());
      titlesFinished = this.finishTitles();
      await this.copy('crew', ['tconst', 'role', 'ordering', 'nconst'], this.crewRows());
      await this.copy('credit', ['tconst', 'ordering', 'nconst', 'category', 'job', 'characters'], this.principalsRows());
      await this.copy('person', ['nconst', 'primary_name', 'birth_year', 'death_year', 'primary_professions', 'known_for_titles'], this.namesRows());
    } catch (err) {
      // The staging schema is cleared after a failure: not while these still write to it.
      await Promise.allSettled([filmIndexSearch, titlesFinished]);
      throw err;
    }

    this.progress('finishing', null, 0, null, true);
    const [frenchTitles, dangling] = await Promise.all([
      filmIndexSearch.then(() => titlesFinished!),
      this.catalogue.danglingPeople(this.schema).then(async (found) => {
        await this.catalogue.analyze(this.schema, ['person', 'credit', 'crew']);
        return found;
      }),
    ]);
    let ratingsDangling = 0;
    for (const id of this.ratings.values()) if (!this.allTitles.has(id)) ratingsDangling++;
    return {
      absent: this.absent,
      votesRuleApplied: this.votesKnown,
      frenchTitles,
      dangling: { creditPeople: dangling.credit, crewPeople: dangling.crew, ratingsTitles: ratingsDangling },
      datasets: this.perDataset,
      filmIndex: this.filmIndexRows,
    };
  }

  /** The French titles, the title search's indexes, then the statistics of title, title_aka and the film index (whole by then). */
  private async finishTitles(): Promise<number> {
    const frenchTitles = await this.catalogue.setFrenchTitles(this.schema);
    await this.catalogue.buildTitleSearch(this.schema);
    await this.catalogue.analyze(this.schema, ['title', 'title_aka', 'film_index']);
    return frenchTitles;
  }

  /**
   * Load one table (and a side table its chunks name as their target); a row the database refuses
   * fails the run naming its file and line.
   */
  private async copy(
    table: CatalogueTable,
    columns: string[],
    chunks: AsyncGenerator<SourcedChunk>,
    side?: { table: CatalogueTable; columns: string[] },
  ): Promise<void> {
    try {
      const load = (rows: AsyncIterable<string>, target: string | undefined) =>
        side && target === side.table ? this.catalogue.copy(this.schema, side.table, side.columns, rows) : this.catalogue.copy(this.schema, table, columns, rows);
      await (side ? copyInSegmentsSplit(chunks, side.table, load) : copyInSegments(chunks, load));
    } catch (err) {
      throw err instanceof CopyRefusedError && err.badInput ? new ImdbInputError(err.message) : err;
    }
  }

  private async drain(rows: AsyncGenerator<SourcedChunk>): Promise<void> {
    for await (const _ of rows) {
      // passes that only build in-memory sets emit nothing
    }
  }

  private async ratingsPass(): Promise<void> {
    const ratings = this.ratings;
    let found = 0;
    await this.drain(
      this.scanDataset('title.ratings', (scan) => {
        found++;
        return (t, f, line) => {
          const id = idAt(t, f, 0, T, T);
          const votes = intAt(t, f, 2);
          const rating = Number(field(t, f, 1));
          if (id < 0 || votes === null || Number.isNaN(votes) || !(rating >= 0 && rating <= 10)) {
            scan.reader.reject(line, id < 0 ? 'malformed tconst' : 'malformed averageRating or numVotes');
            return;
          }
          if (ratings.has(id)) return scan.drop('overridden');
          ratings.set(id, votes, Math.round(rating * 10));
          scan.keep();
        };
      }),
    );
    this.votesKnown = found > 0;
  }

  private async basicsPass(): Promise<void> {
    const { ratings, allTitles, kept, keptSeries, policy, votesKnown, programmed, thisYear } = this;
    const relevantTypes = typesAnyRuleKeeps(policy);
    const rows = this.scanDataset('title.basics', (scan) => (t, f, line) => {
      const id = idAt(t, f, 0, T, T);
      if (id < 0) return scan.reader.reject(line, 'malformed tconst');
      if (id > DenseIdSet.MAX_ID) return scan.reader.reject(line, 'tconst beyond tt1000000000');
      const adult = field(t, f, 4);
      const runtime = intAt(t, f, 7);
      const startYear = intAt(t, f, 5);
      const endYear = intAt(t, f, 6);
      if ((adult !== '0' && adult !== '1') || Number.isNaN(runtime) || Number.isNaN(startYear) || Number.isNaN(endYear)) {
        return scan.reader.reject(line, 'malformed isAdult, startYear, endYear or runtimeMinutes');
      }
      const tooLong = overLongName(f, TITLE_NAME_COLUMNS);
      if (tooLong) return scan.reader.reject(line, tooLong);
      // Sources are read latest first: a tconst already seen came from a later source, which wins.
      if (!allTitles.add(id)) return scan.drop('overridden');
      const titleType = field(t, f, 1);
      // Nine rows in ten (episodes, shorts, videos…) are of a type no rule keeps: dropped before
      // their two lookups in the ratings map (a cache miss each; 2.3 s of CPU at scale 1).
      if (!relevantTypes.has(titleType)) return scan.drop('title-type');
      const votes = ratings.get(id, 0, 0);
      const rating = ratings.get(id, 1, -1);
      const facts = { titleType, isAdult: adult === '1', runtime, votes, startYear };
      if (inFilmIndex(policy, facts)) {
        // Every film, whatever the rules below: the programme may name any of them.
        scan.emitSide(
          `${tconst(id)}\t${imdbText(titleType)}\t${imdbText(textField(t, f, 2))}\t${imdbText(textField(t, f, 3))}\t${num(startYear)}\t${num(runtime)}\t${imdbList(textField(t, f, 8))}\t${rating < 0 ? NULL : rating / 10}\t${rating < 0 ? NULL : votes}\n`,
        );
      }
      const { verdict, keptBy } = classifyWithContext(policy, facts, votesKnown, { programmed: programmed.has(id), thisYear });
      if (verdict !== 'movie' && verdict !== 'series') return scan.drop(verdict);
      // Counted with the rules that drop rows: the films each keep rule saved.
      if (keptBy) scan.drop(keptBy);
      kept.add(id);
      if (verdict === 'series') keptSeries.add(id);
      scan.emit(
        `${tconst(id)}\t${imdbText(titleType)}\t${imdbText(textField(t, f, 2))}\t${imdbText(textField(t, f, 3))}\t${adult === '1' ? 't' : 'f'}\t${num(startYear)}\t${num(endYear)}\t${num(runtime)}\t${imdbList(textField(t, f, 8))}\t${rating < 0 ? NULL : rating / 10}\t${votes}\n`,
      );
      scan.keep();
    }, 'film_index');
    await this.copy(
      'title',
      ['tconst', 'title_type', 'primary_title', 'original_title', 'is_adult', 'start_year', 'end_year', 'runtime_minutes', 'genres', 'average_rating', 'num_votes'],
      rows,
      { table: 'film_index', columns: ['tconst', 'title_type', 'primary_title', 'original_title', 'start_year', 'runtime_minutes', 'genres', 'average_rating', 'num_votes'] },
    );
  }

  private async episodePass(): Promise<void> {
    const { allTitles, keptSeries, episodes } = this;
    await this.drain(
      this.scanDataset(
        'title.episode',
        (scan, claims) => (t, f, line) => {
          const id = idAt(t, f, 0, T, T);
          const parent = idAt(t, f, 1, T, T);
          const season = intAt(t, f, 2);
          if (id < 0 || parent < 0 || Number.isNaN(season)) return scan.reader.reject(line, 'malformed tconst, parentTconst or seasonNumber');
          if (!keptSeries.has(parent)) return scan.drop(allTitles.has(parent) ? 'series-not-kept' : 'dangling-title');
          const claim = claims.take(id, true);
          if (claim) return scan.drop(claim);
          episodes.increment(parent, 0);
          if (season !== null) episodes.max(parent, 1, season);
          scan.keep();
        }
      ),
    );
    const stats = [...episodes.entries()].map(([id, [count, seasons]]) => ({
      tconst: tconst(id),
      episodes: count!,
      seasons: seasons! > 0 ? seasons! : null,
    }));
    await this.catalogue.setEpisodeStats(this.schema, stats);
  }

  /** A kept title's row, not overridden by a later source; else the rule that drops it. */
  private titleGate(id: number, claims: SourceClaims): string | null {
    if (!this.kept.has(id)) return this.allTitles.has(id) ? 'title-not-kept' : 'dangling-title';
    return claims.take(id, false);
  }

  private akasRows(): AsyncGenerator<SourcedChunk> {
    const { akaRegions, akaLanguages } = this.policy;
    return this.scanDataset(
      'title.akas',
      (scan, claims) => (t, f, line) => {
        const id = idAt(t, f, 0, T, T);
        const ordering = intAt(t, f, 1);
        if (id < 0 || ordering === null || Number.isNaN(ordering)) return scan.reader.reject(line, 'malformed titleId or ordering');
        const tooLong = overLongName(f, AKA_NAME_COLUMNS);
        if (tooLong) return scan.reader.reject(line, tooLong);
        const gate = this.titleGate(id, claims);
        if (gate) return scan.drop(gate);
        const region = field(t, f, 3);
        const language = field(t, f, 4);
        if (!akaRegions.includes(region) && !akaLanguages.includes(language)) return scan.drop('not-french');
        const original = field(t, f, 7);
        // types and attributes hold several values separated by \x02, not commas.
        scan.emit(
          `${tconst(id)}\t${ordering}\t${imdbText(textField(t, f, 2))}\t${imdbText(textField(t, f, 3))}\t${imdbText(textField(t, f, 4))}\t${splitMulti(textField(t, f, 5), '\x02')}\t${splitMulti(textField(t, f, 6), '\x02')}\t${original === '1' ? 't' : original === '0' ? 'f' : NULL}\n`,
        );
        scan.keep();
      }
    );
  }

  private crewRows(): AsyncGenerator<SourcedChunk> {
    const people = this.people;
    return this.scanDataset(
      'title.crew',
      (scan, claims) => (t, f, line) => {
        const id = idAt(t, f, 0, T, T);
        if (id < 0) return scan.reader.reject(line, 'malformed tconst');
        const gate = this.titleGate(id, claims);
        if (gate) return scan.drop(gate);
        const key = tconst(id);
        scan.keep();
        for (const [column, role] of [[1, 'director'], [2, 'writer']] as const) {
          if (isNull(t, f, column)) continue;
          const list = field(t, f, column).split(',');
          for (let i = 0; i < list.length; i++) {
            const person = parseId(list[i]!, 0, list[i]!.length, N, M);
            if (person < 0) {
              scan.drop('malformed-nconst');
              continue;
            }
            people.add(person);
            scan.emit(`${key}\t${role}\t${i + 1}\t${nconst(person)}\n`);
          }
        }
      }
    );
  }

  private principalsRows(): AsyncGenerator<SourcedChunk> {
    const people = this.people;
    return this.scanDataset(
      'title.principals',
      (scan, claims) => (t, f, line) => {
        const id = idAt(t, f, 0, T, T);
        if (id < 0) return scan.reader.reject(line, 'malformed tconst');
        const gate = this.titleGate(id, claims);
        if (gate) return scan.drop(gate);
        const ordering = intAt(t, f, 1);
        const person = idAt(t, f, 2, N, M);
        if (ordering === null || Number.isNaN(ordering) || person < 0) return scan.reader.reject(line, 'malformed ordering or nconst');
        people.add(person);
        scan.emit(
          `${tconst(id)}\t${ordering}\t${nconst(person)}\t${imdbText(textField(t, f, 3))}\t${imdbText(textField(t, f, 4))}\t${characters(textField(t, f, 5), scan)}\n`,
        );
        scan.keep();
      }
    );
  }

  private namesRows(): AsyncGenerator<SourcedChunk> {
    const people = this.people;
    return this.scanDataset(
      'name.basics',
      (scan, claims) => (t, f, line) => {
        const id = idAt(t, f, 0, N, M);
        if (id < 0) return scan.reader.reject(line, 'malformed nconst');
        const tooLong = overLongName(f, PERSON_NAME_COLUMNS);
        if (tooLong) return scan.reader.reject(line, tooLong);
        if (!people.has(id)) return scan.drop('not-credited');
        const claim = claims.take(id, true);
        if (claim) return scan.drop(claim);
        const birth = intAt(t, f, 2);
        const death = intAt(t, f, 3);
        scan.emit(
          `${nconst(id)}\t${imdbText(textField(t, f, 1))}\t${num(birth)}\t${num(death)}\t${imdbList(textField(t, f, 4))}\t${imdbList(field(t, f, 5))}\n`,
        );
        scan.keep();
      }
    );
  }

  /**
   * Stream one dataset from every source, latest source first, yielding COPY text of the rows
   * the handler emits with the line of each. Records each file in the ledger, and turns stream
   * failures into messages that name the file and the line reached. A file's last chunk ends its
   * COPY statement: the file is recorded as loaded once the database has taken its rows.
   */
  private async *scanDataset(
    dataset: ImdbDataset,
    makeHandler: (scan: FileScan, claims: SourceClaims) => TsvRowHandler,
    sideTarget?: string,
  ): AsyncGenerator<SourcedChunk> {
    const claims = new SourceClaims();
    const fileName = datasetFileName(dataset);
    let found = 0;
    for (let s = this.roots.length - 1; s >= 0; s--) {
      const root = this.roots[s]!;
      this.fileIndex++;
      const opened = await this.sources.openIn(root, fileName);
      if (!opened) {
        const location = isUrl(root) ? `${redact(root).replace(/\/+$/, '')}/${fileName}` : join(root, fileName);
        if (REQUIRED_DATASETS.includes(dataset)) throw new ImdbInputError(`${location}: ${dataset} is required and was not found`);
        await this.ledger.recordAbsent(this.runId, dataset, location);
        continue;
      }
      found++;
      const fileId = await this.ledger.startFile(this.runId, dataset, opened.location);
      const scan = new FileScan(opened.location, IMDB_DATASETS[dataset], sideTarget);
      const handler = makeHandler(scan, claims);
      const hash = createHash('sha256');
      let bytes = 0;
      const tap = new Transform({
        transform: (chunk: Buffer, _encoding, callback) => {
          hash.update(chunk);
          bytes += chunk.length;
          callback(null, chunk);
        },
      });
      const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
      pipeline(opened.stream, tap, gunzip, () => {});
      let finished = false;
      try {
        for await (const piece of scan.reader.pieces(gunzip)) {
          throwIfInterrupted(this.ctx.signal);
          scan.reader.scan(piece, handler);
          if (scan.out.length >= FLUSH_CHARS) yield scan.take(false);
          if (scan.side && scan.side.out.length >= FLUSH_CHARS) yield scan.takeSide(false);
          this.progress(dataset, opened.location, bytes, opened.size, false, scan);
        }
        if (scan.side) yield scan.takeSide(true);
        yield scan.take(true);
        const { rowsRead: total, rowsRejected, rejectSamples } = scan.reader.stats;
        const tooMany = rejectShareProblem(rowsRejected, total, this.policy.maxRejectShare, rejectSamples);
        if (tooMany) throw new ImdbInputError(`${opened.location}: ${tooMany}`);
        claims.nextSource();
        this.record(dataset, scan);
        this.filmIndexRows += scan.sideRows;
        await this.ledger.finishFile(fileId, {
          status: 'loaded',
          bytes,
          sha256: hash.digest('hex'),
          rowsRead: total,
          rowsKept: scan.kept,
          rowsRejected,
          filterStats: scan.dropped,
          rejectSamples,
          error: null,
        });
        finished = true;
        this.log.info(
          { dataset, source: opened.location, rowsRead: total, rowsKept: scan.kept, rowsRejected, dropped: scan.dropped, rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20) },
          'file imported',
        );
      } catch (err) {
        const failure = describeStreamError(err, opened.location, scan.reader.line, bytes);
        finished = true;
        await this.recordFailedFile(fileId, scan, bytes, failure.message);
        throw failure;
      } finally {
        if (!finished) {
          // The consumer stopped early without saying why (a refused row is thrown in, and
          // recorded above): close the file, mark it.
          opened.stream.destroy();
          await this.recordFailedFile(fileId, scan, bytes, 'loading stopped before the end of the file (see the run error)');
        }
      }
    }
    if (found === 0) this.absent.push(dataset);
  }

  /** Best effort: the run's own failure is what must surface, not a ledger write error. */
  private async recordFailedFile(fileId: number, scan: FileScan, bytes: number, error: string): Promise<void> {
    const { rowsRead, rowsRejected, rejectSamples } = scan.reader.stats;
    await this.ledger
      .finishFile(fileId, {
        status: 'failed',
        bytes,
        sha256: null,
        rowsRead,
        rowsKept: scan.kept,
        rowsRejected,
        filterStats: scan.dropped,
        rejectSamples,
        error,
      })
      .catch(() => {});
  }

  private record(dataset: string, scan: FileScan): void {
    const { rowsRead, rowsRejected } = scan.reader.stats;
    const entry = (this.perDataset[dataset] ??= { read: 0, kept: 0, rejected: 0, dropped: {} });
    entry.read += rowsRead;
    entry.kept += scan.kept;
    entry.rejected += rowsRejected;
    for (const [rule, n] of Object.entries(scan.dropped)) entry.dropped[rule] = (entry.dropped[rule] ?? 0) + n;
    this.totals.read += rowsRead;
    this.totals.kept += scan.kept;
    this.totals.rejected += rowsRejected;
  }

  private progress(phase: string, file: string | null, bytesRead: number, bytesTotal: number | null, force: boolean, scan?: FileScan): void {
    if (!this.ctx.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = now;
    this.ctx.onProgress({
      phase,
      file,
      fileIndex: this.fileIndex,
      fileCount: this.fileCount,
      bytesRead,
      bytesTotal,
      rowsRead: this.totals.read + (scan?.reader.stats.rowsRead ?? 0),
      rowsKept: this.totals.kept + (scan?.kept ?? 0),
    });
  }
}

/** principals.characters is a JSON array of strings; anything else is kept as one literal value. */
function characters(raw: string, scan: FileScan): string {
  if (raw === NULL) return NULL;
  if (raw.charCodeAt(0) === 91 /* [ */) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.every((c) => typeof c === 'string')) return textArray(parsed as string[]);
    } catch {
      // fall through: kept verbatim below
    }
  }
  scan.drop('characters-kept-verbatim');
  return textArray([raw]);
}

function describeStreamError(err: unknown, location: string, line: number, bytes: number): Error {
  if (err instanceof ImdbInputError || err instanceof ImportInterruptedError || err instanceof CopyRefusedError) return err;
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (bytes === 0 && (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message))) {
    return new ImdbInputError(`${location}: empty file (no header line)`);
  }
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new ImdbInputError(`${location}: truncated gzip stream after line ${line} (${message})`);
  }
  if (code === 'Z_DATA_ERROR' || /incorrect header check/i.test(message)) {
    return new ImdbInputError(`${location}: not a valid gzip stream after line ${line} (${message})`);
  }
  return new Error(`${location}: reading stopped after line ${line}: ${message}`, { cause: err });
}

