import { type ImportCataloguePayload, type ImportImdbPayload, type ImportProgress, type ImportTmdbPayload, type Logger, redactError } from '@cine/common';
import { otherSchema } from '@cine/db';
import type { ImdbImportResult, ImdbImportService, ImdbStaged } from '../imdb/imdb-import.service';
import { ImdbInputError } from '../imdb/imdb-datasets';
import type { TmdbCounts, TmdbImportResult, TmdbImportService } from '../tmdb/tmdb-import.service';
import type { TmdbRepository } from '../tmdb/tmdb.repository';
import type { CatalogueRepository } from './catalogue.repository';
import { CatalogueShrinkError, type ImportContext, ImportBusyError, throwIfInterrupted } from './import-run';
import type { LedgerRepository } from './ledger.repository';

export interface CatalogueImportResult {
  imdb: ImdbImportResult | null;
  tmdb: TmdbImportResult | null;
}

/**
 * Under this share of the films served, a new catalogue is refused unless the run allows it
 * (`allowShrink`: `--force` on the command line, `"force": true` on the admin API). Real
 * refreshes move by a few percent; a truncated download, a wrong folder or a test file moves by
 * far more.
 */
export const SHRINK_FLOOR = 0.5;

type Part = 'imdb' | 'tmdb' | 'swap';

/**
 * One import run: the IMDb part stages the inactive schema, the TMDB part stages its table,
 * the shrink guard compares them with what is served, and one transaction swaps both in. Any
 * failure, in any part, leaves the served catalogue exactly as it was: the staging areas are
 * emptied and every ledger row of the run says failed, with why.
 *
 * One run at a time per database (an advisory lock): two runs can never mix their staging.
 */
export class CatalogueImportService {
  constructor(
    private readonly catalogue: CatalogueRepository,
    private readonly tmdbRows: TmdbRepository,
    private readonly ledger: LedgerRepository,
    private readonly imdbPart: ImdbImportService,
    private readonly tmdbPart: TmdbImportService,
    private readonly log: Logger,
  ) {}

  /** A run with the IMDb files only; its IMDb result. */
  async imdb(payload: ImportImdbPayload, ctx: ImportContext = {}, opts: { allowShrink?: boolean } = {}): Promise<ImdbImportResult> {
    return (await this.run({ imdb: payload, ...opts }, ctx)).imdb!;
  }

  /** A run with the TMDB files only; its TMDB result. */
  async tmdb(payload: ImportTmdbPayload, ctx: ImportContext = {}, opts: { allowShrink?: boolean } = {}): Promise<TmdbImportResult> {
    return (await this.run({ tmdb: payload, ...opts }, ctx)).tmdb!;
  }

  async run(payload: ImportCataloguePayload, ctx: ImportContext = {}): Promise<CatalogueImportResult> {
    const started = Date.now();
    const { imdb, tmdb } = payload;
    if (!imdb && !tmdb) throw new ImdbInputError('nothing to import: give IMDb sources, TMDB files, or both');
    // Bad policies and empty source lists fail before anything is locked or recorded.
    const policy = imdb ? this.imdbPart.prepare(imdb) : null;
    const tmdbPolicy = tmdb ? this.tmdbPart.prepare(tmdb) : null;

    const release = await this.catalogue.lockImports();
    if (!release) throw new ImportBusyError();
    try {
      const abandoned = await this.ledger.abandonStaleRuns();
      if (abandoned > 0) this.log.warn({ abandoned }, 'marked imports left running by a stopped process as abandoned');
      const jobId = ctx.jobId ?? null;
      const imdbRun = imdb ? await this.ledger.startRun('imdb', imdb.sources, policy, jobId) : null;
      const tmdbRun = tmdb ? await this.ledger.startRun('tmdb', tmdb.sources, tmdbPolicy, jobId) : null;
      const tmdbCounts: TmdbCounts = { read: 0, kept: 0, rejected: 0 };
      const staging = await this.catalogue.stagingSchema();
      let part: Part = imdb ? 'imdb' : 'tmdb';
      try {
        const progress = progressAcross(ctx.onProgress, imdb ? this.imdbPart.fileCount(imdb) : 0, tmdb ? this.tmdbPart.fileCount(tmdb) : 0);
        const stagedImdb = imdb && imdbRun !== null ? await this.imdbPart.stage(imdbRun, imdb, staging, { ...ctx, onProgress: progress.imdb }) : null;
        part = 'tmdb';
        if (tmdb && tmdbRun !== null) await this.tmdbPart.stage(tmdbRun, tmdb, tmdbCounts, { ...ctx, onProgress: progress.tmdb });
        part = 'swap';
        throwIfInterrupted(ctx.signal);
        if (!payload.allowShrink) await this.refuseShrink(stagedImdb, tmdb !== undefined);

        const servingRun = (imdbRun ?? tmdbRun)!;
        const replaced = await this.catalogue.transaction(async (db) => {
          await this.catalogue.swap(db, stagedImdb ? staging : null, servingRun);
          return tmdb ? this.tmdbRows.replaceFromStaging(db) : null;
        });
        // The previous catalogue is no longer read by anyone: free its space.
        if (stagedImdb) await this.catalogue.clear(otherSchema(staging));
        if (tmdb) await this.tmdbRows.clearStaging();
        const durationMs = Date.now() - started;

        let imdbResult: ImdbImportResult | null = null;
        if (stagedImdb && imdbRun !== null) {
          await this.ledger.finishRun(imdbRun, { ...stagedImdb.outcome, status: 'succeeded', error: null });
          imdbResult = { ...stagedImdb.result, durationMs };
        }
        let tmdbResult: TmdbImportResult | null = null;
        if (replaced && tmdbRun !== null) {
          const matchedTitles = await this.tmdbRows.matchedTitles();
          const counts = { rowsRead: tmdbCounts.read, rowsKept: tmdbCounts.kept - replaced.duplicates, rowsRejected: tmdbCounts.rejected };
          await this.ledger.finishRun(tmdbRun, {
            ...counts,
            status: 'succeeded',
            error: null,
            catalogueSchema: null,
            summary: { duplicates: replaced.duplicates, matchedTitles },
          });
          tmdbResult = { runId: tmdbRun, ...counts, duplicates: replaced.duplicates, matchedTitles, durationMs };
        }
        this.log.info({ imdb: imdbResult, tmdb: tmdbResult }, 'import run succeeded; catalogue swapped');
        return { imdb: imdbResult, tmdb: tmdbResult };
      } catch (raw) {
        const err = redactError(raw);
        const message = err instanceof Error ? err.message : String(err);
        this.log.error({ err, part }, 'import run failed; nothing was swapped');
        await this.catalogue.clear(staging).catch(() => {});
        if (tmdb) await this.tmdbRows.clearStaging().catch(() => {});
        const failed = async (runId: number | null, own: boolean, counts: { rowsRead: number; rowsRejected: number }) => {
          if (runId === null) return;
          const error = own || part === 'swap' ? message : `nothing was swapped: the ${part === 'imdb' ? 'IMDb' : 'TMDB'} part of this run failed: ${message}`;
          await this.ledger
            .finishRun(runId, { status: 'failed', ...counts, rowsKept: 0, catalogueSchema: null, summary: { failedPart: part }, error })
            .catch(() => {});
        };
        await failed(imdbRun, part === 'imdb', { rowsRead: 0, rowsRejected: 0 });
        await failed(tmdbRun, part === 'tmdb', { rowsRead: tmdbCounts.read, rowsRejected: tmdbCounts.rejected });
        throw err;
      }
    } finally {
      await release();
    }
  }

  /** A new catalogue under SHRINK_FLOOR of the one served is refused, naming both counts. */
  private async refuseShrink(imdb: ImdbStaged | null, tmdb: boolean): Promise<void> {
    const problems: string[] = [];
    if (imdb) {
      const serving = (await this.catalogue.counts()).title;
      const fresh = imdb.result.counts.title;
      if (serving > 0 && fresh < SHRINK_FLOOR * serving) {
        problems.push(`the new IMDb catalogue has ${fresh.toLocaleString('en')} titles against ${serving.toLocaleString('en')} served`);
      }
    }
    if (tmdb) {
      const { staged, serving } = await this.tmdbRows.filmCounts();
      if (serving > 0 && staged < SHRINK_FLOOR * serving) {
        problems.push(`the new TMDB files describe ${staged.toLocaleString('en')} films against ${serving.toLocaleString('en')} served`);
      }
    }
    if (problems.length > 0) {
      throw new CatalogueShrinkError(
        `${problems.join('; ')} (under ${Math.round(SHRINK_FLOOR * 100)} %): refused, so that a truncated download cannot empty the catalogue; ` +
          'nothing was changed. If this is intended, import again with --force (npm run etl) or "force": true (admin API).',
      );
    }
  }
}

/**
 * The IMDb and TMDB parts each count their own files from 1; the run reports one sequence over
 * both, so a progress bar never goes back when the TMDB part starts.
 */
function progressAcross(onProgress: ((p: ImportProgress) => void) | undefined, imdbFiles: number, tmdbFiles: number) {
  const total = imdbFiles + tmdbFiles;
  const shifted = (offset: number) => (onProgress ? (p: ImportProgress) => onProgress({ ...p, fileIndex: p.fileIndex + offset, fileCount: total }) : undefined);
  return { imdb: shifted(0), tmdb: shifted(imdbFiles) };
}
