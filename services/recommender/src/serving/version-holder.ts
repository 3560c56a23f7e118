import type { CheckResult, Logger } from '@cine/common';
import { CorruptVersionError, type EmbeddingRepository } from '../embedding/embedding.repository';
import type { RankingParams } from '../recommend/ranking';
import { LoadedVersion } from './loaded-version';

/** How long a replaced version stays open for the requests that were already using it. */
const RETIRE_AFTER_MS = 10_000;
/** How many of the newest versions are tried before giving up on finding a valid one. */
const HEADS_CHECKED = 5;

/**
 * Holds the version being served and swaps in newer ones with no downtime: a new version is
 * loaded and checked beside the current one, then one reference assignment makes it current.
 * A version that fails its checks is remembered as rejected (and said so in readiness), and
 * the service keeps serving what it had.
 */
export class VersionHolder {
  private current: LoadedVersion | null = null;
  private readonly rejected = new Map<number, string>();
  private readonly retiring = new Set<{ version: LoadedVersion; timer: NodeJS.Timeout }>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly repo: EmbeddingRepository,
    private readonly ranking: RankingParams,
    private readonly log: Logger,
  ) {}

  get version(): LoadedVersion | null {
    return this.current;
  }

  async start(pollIntervalMs: number): Promise<void> {
    await this.refresh().catch((err) => this.log.error({ err }, 'could not read embedding versions'));
    if (pollIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.refresh().catch((err) => this.log.warn({ err }, 'embedding version poll failed'));
      }, pollIntervalMs);
      this.timer.unref();
    }
  }

  /** Loads the newest valid version if it is newer than the one served. Never runs twice at once. */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const heads = await this.repo.readyHeads(HEADS_CHECKED);
    for (const head of heads) {
      if (this.closed) return;
      if (this.current && head.id <= this.current.id) return;
      if (this.rejected.has(head.id)) continue;
      let loaded: LoadedVersion;
      try {
        loaded = await LoadedVersion.load(await this.repo.load(head.id), this.ranking);
      } catch (err) {
        if (!(err instanceof CorruptVersionError)) throw err;
        this.rejected.set(head.id, err.message);
        this.log.error({ version: head.id, reason: err.message, serving: this.current?.id ?? null }, 'embedding version rejected; keeping the previous one');
        continue;
      }
      if (this.closed) {
        await loaded.close();
        return;
      }
      const previous = this.current;
      this.current = loaded;
      this.log.info({ version: loaded.id, films: loaded.items.length, dims: loaded.dims, loadMs: loaded.loadMs, previous: previous?.id ?? null }, 'serving embedding version');
      if (previous) this.retire(previous);
      return;
    }
  }

  private retire(version: LoadedVersion): void {
    const entry = {
      version,
      timer: setTimeout(() => {
        this.retiring.delete(entry);
        version.close().catch(() => {});
      }, RETIRE_AFTER_MS),
    };
    entry.timer.unref();
    this.retiring.add(entry);
  }

  readiness(): CheckResult {
    const rejected = [...this.rejected.entries()].filter(([id]) => !this.current || id > this.current.id);
    const rejectedText = rejected.map(([, reason]) => reason).join('; ');
    if (!this.current) {
      return { ok: false, detail: rejected.length > 0 ? `no valid embedding version (${rejectedText})` : 'no embedding version built yet' };
    }
    const serving = `serving version ${this.current.id} (${this.current.items.length} films, d=${this.current.dims})`;
    return { ok: true, detail: rejected.length > 0 ? `${serving}; newer rejected: ${rejectedText}` : serving };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.refreshing?.catch(() => {});
    for (const entry of this.retiring) {
      clearTimeout(entry.timer);
      await entry.version.close();
    }
    this.retiring.clear();
    await this.current?.close();
    this.current = null;
  }
}
