import { type ImportImdbPayload, type Logger } from '@cine/common';
import { type CatalogueSchema, otherSchema } from '@cine/db';
import type { CatalogueRepository, TableCounts } from '../catalogue/catalogue.repository';
import { type ImportContext, runLedgered, throwIfInterrupted } from '../catalogue/import-run';
import type { LedgerRepository } from '../catalogue/ledger.repository';
import type { SourceRepository } from '../sources/source.repository';
import { resolvePolicy } from './filter-policy';
import { ImdbInputError } from './imdb-datasets';
import { ImdbPasses } from './imdb-passes';

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

/**
 * Imports the IMDb datasets into the staging schema, then swaps it in.
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

  async run(payload: ImportImdbPayload, ctx: ImportContext = {}): Promise<ImdbImportResult> {
    const started = Date.now();
    const policy = resolvePolicy(payload.policy);
    if (payload.sources.length === 0) throw new ImdbInputError('no IMDb source given (--imdb DIR or URL)');
    let staging: CatalogueSchema | null = null;
    return runLedgered(
      { catalogue: this.catalogue, ledger: this.ledger, log: this.log },
      { kind: 'imdb', sources: payload.sources, policy, jobId: ctx.jobId ?? null },
      async (runId) => {
        staging = await this.catalogue.stagingSchema();
        for (const root of payload.sources) await this.sources.checkRoot(root);
        // A killed run may have left rows here; a retry starts from nothing.
        await this.catalogue.clear(staging);
        const passes = new ImdbPasses(runId, payload.sources, policy, staging, this.catalogue, this.ledger, this.sources, this.log, ctx);
        const summary = await passes.execute();
        throwIfInterrupted(ctx.signal);
        const counts = await this.catalogue.counts(staging);
        if (counts.title === 0) {
          throw new ImdbInputError(
            `the filter policy kept no title from ${payload.sources.join(', ')}; lower the thresholds (e.g. --min-votes 0) for small samples`,
          );
        }
        await this.catalogue.swap(staging, runId);
        // The previous catalogue is no longer read by anyone: free its space.
        await this.catalogue.clear(otherSchema(staging));
        const totals = { rowsRead: passes.totals.read, rowsKept: passes.totals.kept, rowsRejected: passes.totals.rejected };
        const result = { runId, ...totals, counts, durationMs: Date.now() - started, absent: summary.absent, dangling: summary.dangling };
        this.log.info(result, 'IMDb import succeeded; catalogue swapped');
        return { result, outcome: { ...totals, catalogueSchema: staging, summary: { ...summary, counts } } };
      },
      { cleanup: async () => void (staging && (await this.catalogue.clear(staging))) },
    );
  }
}

