import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { ImportTmdbPayload, Logger } from '@cine/common';
import { num, text, textArray } from '../catalogue/copy-format';
import type { LedgerRepository } from '../catalogue/ledger.repository';
import { copyInSegments, CopyRefusedError, type SourcedChunk } from '../catalogue/copy-segments';
import { type ImportContext, rejectShareProblem, throwIfInterrupted } from '../catalogue/import-run';
import type { SourceRepository } from '../sources/source.repository';
import type { TmdbRepository } from './tmdb.repository';
import { readTmdbCsv, type TmdbRecord, TmdbInputError } from './tmdb-record';

export interface TmdbImportResult {
  runId: number;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  duplicates: number;
  matchedTitles: number;
  durationMs: number;
}

/** Rows read so far: the ledger records them even when the run fails half way. */
export interface TmdbCounts {
  read: number;
  kept: number;
  rejected: number;
}

const DEFAULT_MAX_REJECT_SHARE = 0.001;
const FLUSH_CHARS = 1 << 18;
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Loads TMDB CSVs (either format, plain or gzipped) into the `tmdb_staging` table. The run
 * (`CatalogueImportService`) replaces `title_tmdb` from it, in the transaction that swaps the
 * IMDb catalogue, once every part of the run has succeeded.
 */
export class TmdbImportService {
  constructor(
    private readonly tmdb: TmdbRepository,
    private readonly ledger: LedgerRepository,
    private readonly sources: SourceRepository,
    private readonly log: Logger,
  ) {}

  /** Checked before the run takes the lock: bad input fails at once. */
  prepare(payload: ImportTmdbPayload): { maxRejectShare: number } {
    if (payload.sources.length === 0) throw new TmdbInputError('(no file)', 0, 'no TMDB source given (--tmdb FILE)');
    const maxRejectShare = payload.maxRejectShare ?? DEFAULT_MAX_REJECT_SHARE;
    if (!(maxRejectShare >= 0 && maxRejectShare <= 1)) {
      throw new TmdbInputError('(no file)', 0, `maxRejectShare must be between 0 and 1, got ${JSON.stringify(payload.maxRejectShare)}`);
    }
    return { maxRejectShare };
  }

  fileCount(payload: ImportTmdbPayload): number {
    return payload.sources.length;
  }

  async stage(runId: number, payload: ImportTmdbPayload, totals: TmdbCounts, ctx: ImportContext = {}): Promise<{ staged: number }> {
    const { maxRejectShare } = this.prepare(payload);
    await this.tmdb.clearStaging();
    let seq = 0;
    for (const [index, location] of payload.sources.entries()) {
      const opened = await this.sources.openFile(location);
      const fileId = await this.ledger.startFile(runId, 'tmdb', opened.location);
      const stats = { read: 0, kept: 0, rejected: 0, samples: [] as Array<{ line: number; reason: string }>, bytes: 0 };
      const hash = createHash('sha256');
      try {
        const bytes = await decompressed(opened.stream, (chunk) => {
          hash.update(chunk);
          stats.bytes += chunk.length;
        });
        const events = readTmdbCsv(bytes, opened.location);
        const file = opened.location;
        // Chunks say which line each row came from, so a row the database refuses is named by
        // its file and line (see copy-segments.ts).
        const rows = async function* (): AsyncGenerator<SourcedChunk> {
          let out = '';
          let lines: number[] = [];
          for await (const event of events) {
            if ((stats.read & 0x3ff) === 0) throwIfInterrupted(ctx.signal);
            stats.read++;
            if (event.kind === 'rejected') {
              stats.rejected++;
              if (stats.samples.length < 20) stats.samples.push({ line: event.line, reason: event.reason });
              continue;
            }
            stats.kept++;
            out += encode(++seq, event.record);
            lines.push(event.line);
            if (out.length >= FLUSH_CHARS) {
              yield { text: out, file, lines: Int32Array.from(lines), endOfFile: false };
              out = '';
              lines = [];
              ctx.onProgress?.({ phase: 'tmdb', file, fileIndex: index + 1, fileCount: payload.sources.length, bytesRead: stats.bytes, bytesTotal: opened.size, rowsRead: totals.read + stats.read, rowsKept: totals.kept + stats.kept });
            }
          }
          yield { text: out, file, lines: Int32Array.from(lines), endOfFile: true };
        };
        try {
          await copyInSegments(rows(), (chunks) => this.tmdb.copyStaging(chunks));
        } catch (err) {
          throw err instanceof CopyRefusedError && err.badInput ? new TmdbInputError(err.file, err.line ?? 0, databaseReason(err)) : err;
        }
        const tooMany = rejectShareProblem(stats.rejected, stats.read, maxRejectShare, stats.samples, 'rejected');
        if (tooMany) throw new TmdbInputError(opened.location, stats.samples[0]?.line ?? 0, tooMany);
        await this.ledger.finishFile(fileId, {
          status: 'loaded', bytes: stats.bytes, sha256: hash.digest('hex'), rowsRead: stats.read, rowsKept: stats.kept,
          rowsRejected: stats.rejected, filterStats: {}, rejectSamples: stats.samples, error: null,
        });
      } catch (err) {
        await this.ledger
          .finishFile(fileId, {
            status: 'failed', bytes: stats.bytes, sha256: null, rowsRead: stats.read, rowsKept: stats.kept,
            rowsRejected: stats.rejected, filterStats: {}, rejectSamples: stats.samples, error: err instanceof Error ? err.message : String(err),
          })
          .catch(() => {});
        totals.read += stats.read;
        totals.rejected += stats.rejected;
        throw err;
      }
      totals.read += stats.read;
      totals.kept += stats.kept;
      totals.rejected += stats.rejected;
    }
    throwIfInterrupted(ctx.signal);
    this.log.info({ runId, rowsRead: totals.read, rowsKept: totals.kept, rowsRejected: totals.rejected }, 'TMDB files staged');
    return { staged: seq };
  }
}

/** The database's own words, without the `<file>: line <n>: ` the refusal already put in front. */
function databaseReason(err: CopyRefusedError): string {
  const prefix = err.line === null ? `${err.file}: ` : `${err.file}: line ${err.line}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** The file's bytes, gunzipped when it starts with the gzip magic number. */
async function decompressed(stream: NodeJS.ReadableStream, tap: (chunk: Buffer) => void): Promise<AsyncIterable<Buffer>> {
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer | null = first.done ? null : first.value;
  const replay = async function* (): AsyncGenerator<Buffer> {
    if (head) {
      tap(head);
      yield head;
    }
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      tap(next.value);
      yield next.value;
    }
  };
  if (!head || head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return replay();
  const gunzip = createGunzip();
  pipeline(Readable.from(replay()), gunzip, () => {});
  return gunzip;
}

function encode(seq: number, r: TmdbRecord): string {
  return `${seq}\t${text(r.imdbId)}\t${num(r.tmdbId)}\t${text(r.title)}\t${text(r.originalTitle)}\t${text(r.originalLanguage)}\t${text(r.overview)}\t${text(r.tagline)}\t${text(r.posterPath)}\t${text(r.backdropPath)}\t${num(r.popularity)}\t${num(r.budget)}\t${num(r.revenue)}\t${num(r.runtime)}\t${text(r.releaseDate)}\t${textArray(r.productionCountries)}\t${textArray(r.spokenLanguages)}\t${textArray(r.genres)}\t${textArray(r.productionCompanies)}\t${num(r.collectionId)}\t${text(r.collectionName)}\t${num(r.voteAverage)}\t${num(r.voteCount)}\n`;
}

