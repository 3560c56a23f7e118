import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { DeckError } from './deck-source';

export interface SampleSources {
  imdb: string[];
  tmdb: string[];
}

/**
 * Fills an empty embedded catalogue with the samples by running `npm run etl` as a child process,
 * as a person would: the analysis package never imports the ETL (docs/architecture.md). Its
 * progress goes to this process's stderr, so stdout keeps only the files written.
 */
export class SampleImportRepository {
  constructor(
    private readonly repoRoot: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The sources that are not there. */
  async missing(sources: SampleSources): Promise<string[]> {
    const absent: string[] = [];
    for (const path of [...sources.imdb, ...sources.tmdb]) await access(path).catch(() => absent.push(path));
    return absent;
  }

  /** The command line it runs, for the notice. */
  commandLine(sources: SampleSources): string[] {
    // The samples are a few thousand rated titles: the default vote threshold would keep almost none.
    return ['npm', 'run', 'etl', '--', '--imdb', sources.imdb.join(','), '--tmdb', sources.tmdb.join(','), '--min-votes', '0'];
  }

  async import(sources: SampleSources): Promise<void> {
    const [command, ...args] = this.commandLine(sources);
    // Its own process group, so that a signal reaches npm's child too (npm does not pass SIGTERM on).
    const child = spawn(command!, args, { cwd: this.repoRoot, env: this.env, stdio: ['ignore', process.stderr, process.stderr], detached: true });
    let stoppedBy: NodeJS.Signals | null = null;
    const forward = (signal: NodeJS.Signals) => {
      stoppedBy = signal;
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    try {
      const end = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      if (stoppedBy) throw new DeckError(`${stoppedBy}: the sample import was stopped; the catalogue is as it was`);
      if (end.code !== 0) throw new DeckError(`the sample import failed (${end.signal ?? `exit ${end.code}`}); npm run etl said why above`);
    } finally {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    }
  }
}
