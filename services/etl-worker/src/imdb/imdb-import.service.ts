import type { ImportImdbPayload, Logger } from '@cine/common';
import type { CatalogueSchema } from '@cine/db';
import type { CatalogueRepository, TableCounts } from '../catalogue/catalogue.repository';
import { type ImportContext, throwIfInterrupted } from '../catalogue/import-run';
import type { LedgerRepository, RunOutcome } from '../catalogue/ledger.repository';
import type { SourceRepository } from '../sources/source.repository';
import { type FilterPolicy, resolvePolicy } from './filter-policy';
import { IMDB_DATASETS, ImdbInputError } from './imdb-datasets';
import { ImdbPasses } from './imdb-passes';
import { IntSet } from './int-set';

export interface ImdbImportResult {
  runId: number;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  counts: TableCounts;
  durationMs: number;
  absent: string[];
  /** References the files make to rows they do not hold (kept, and counted). */
  dangling: { creditPeople: number; crewPeople: number; ratingsTitles: number };
}

/** What the IMDb part of a run leaves in the staging schema, before the run swaps it in. */
export interface ImdbStaged {
  result: Omit<ImdbImportResult, 'durationMs'>;
  outcome: Omit<RunOutcome, 'status' | 'error'>;
}

/**
 * Loads the IMDb datasets into the staging schema (the one the public views do not read).
 * Swapping it in is the run's job (`CatalogueImportService`), once every part of the run has
 * succeeded.
 *
 * The passes are ordered so that each big file is filtered against small in-memory sets built
 * by the passes before it: ratings, then basics decide the kept titles; episodes, akas, crew and
 * principals keep only rows of those titles and collect the people they name; names keep only
 * those people. Memory is the size of those sets, never of a file.
 */
export class ImdbImportService {
  constructor(
    private readonly catalogue: CatalogueRepository,
    private readonly ledger: LedgerRepository,
    private readonly sources: SourceRepository,
    private readonly log: Logger,
  ) {}

  /** The policy and sources checked before the run takes the lock: bad input fails at once. */
  prepare(payload: ImportImdbPayload): FilterPolicy {
    if (payload.sources.length === 0) throw new ImdbInputError('no IMDb source given (--imdb DIR or URL)');
    return resolvePolicy(payload.policy);
  }

  /** How many files the passes open: the run's progress counts them with the TMDB files. */
  fileCount(payload: ImportImdbPayload): number {
    return payload.sources.length * Object.keys(IMDB_DATASETS).length;
  }

  async stage(runId: number, payload: ImportImdbPayload, staging: CatalogueSchema, ctx: ImportContext = {}): Promise<ImdbStaged> {
    const policy = this.prepare(payload);
    for (const root of payload.sources) await this.sources.checkRoot(root);
    // A killed run may have left rows here; a retry starts from nothing.
    await this.catalogue.clear(staging);
    await this.catalogue.dropFilmIndexSearch(staging);
    await this.catalogue.dropTitleSearch(staging);
    const programmed = new IntSet();
    for (const tconst of await this.catalogue.programmedFilms()) programmed.add(Number(tconst.slice(2)));
    const thisYear = new Date().getFullYear();
    const passes = new ImdbPasses(runId, payload.sources, policy, staging, this.catalogue, this.ledger, this.sources, this.log, ctx, programmed, thisYear);
    const summary = await passes.execute();
    throwIfInterrupted(ctx.signal);
    const counts = await this.catalogue.counts(staging);
    if (counts.title === 0) {
      throw new ImdbInputError(
        `the filter policy kept no title from ${payload.sources.join(', ')}; lower the thresholds (e.g. --min-votes 0) for small samples`,
      );
    }
    const totals = { rowsRead: passes.totals.read, rowsKept: passes.totals.kept, rowsRejected: passes.totals.rejected };
    this.log.info({ runId, ...totals, counts }, 'IMDb files staged');
    return {
      result: { runId, ...totals, counts, absent: summary.absent, dangling: summary.dangling },
      outcome: { ...totals, catalogueSchema: staging, summary: { ...summary, counts } },
    };
  }
}
