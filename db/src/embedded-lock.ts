import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * The embedded database belongs to one process at a time. PGlite is PostgreSQL compiled into the
 * process, with no server to arbitrate: two processes writing one data directory corrupt it or
 * abort (`RuntimeError: Aborted()`). So the directory gets a lock file beside it (`DIR.lock`, not
 * inside: initdb wants the directory to itself) naming its holder.
 *
 * Why a pid file rather than `proper-lockfile`: that library judges a lock stale when its mtime
 * has not been refreshed for some seconds, by a timer; PGlite's queries and bulk loads run
 * synchronously on the event loop for longer than that during an import, so a live holder would
 * look dead and be taken over: the very corruption we guard against. A pid plus the process's
 * start time says "alive or not" without any timer, and names the holder in the refusal.
 */

export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly holderName: string,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${holderPid}${holderName ? ` (${holderName})` : ''}; ` +
        'stop it first, or point DATABASE_URL at a PostgreSQL server',
    );
    this.name = 'DatabaseInUseError';
  }
}

interface Holder {
  pid: number;
  /** When that pid's process started (Linux, in clock ticks since boot): tells a reused pid apart. */
  started: string | null;
  /** Who holds it, as the opener named itself: shown in the refusal. */
  app: string;
}

/** Lock files held by this process: a second open here must be refused as well. */
const heldHere = new Set<string>();

/** Taking over a stale lock races with other starters; a few rounds settle it. */
const ATTEMPTS = 5;

/**
 * Locks the existing embedded data directory `dataDir` (shown as given in messages) for this
 * process, or throws DatabaseInUseError naming the live holder. A lock whose holder is dead
 * (killed, crashed) is taken over. Returns the release, which is also run on process exit.
 */
export function lockEmbeddedDirectory(dataDir: string, app: string): () => void {
  // One name per directory however it is spelled (relative, symlinked).
  const lockPath = `${realpathSync(dataDir)}.lock`;
  if (heldHere.has(lockPath)) throw new DatabaseInUseError(dataDir, process.pid, heldName(lockPath));
  const mine = `${JSON.stringify({ pid: process.pid, started: startTimeOf(process.pid), app } satisfies Holder)}\n`;

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusive(lockPath, mine)) {
      heldHere.add(lockPath);
      const release = () => {
        process.removeListener('exit', release);
        if (!heldHere.delete(lockPath)) return;
        // Only our own lock: never remove one that another process took over meanwhile.
        if (readIfExists(lockPath) === mine) unlinkQuietly(lockPath);
      };
      process.on('exit', release);
      return release;
    }
    const raw = readIfExists(lockPath);
    if (raw === null) continue; // released between our two looks
    const holder = parseHolder(raw);
    if (holder && isAlive(holder)) throw new DatabaseInUseError(dataDir, holder.pid, holder.app);
    removeStale(lockPath, raw);
  }
  throw new Error(`could not lock the embedded database in ${dataDir}: ${lockPath} kept changing; is another process starting on it?`);
}

/**
 * O_EXCL semantics with the content already in place: link(2) fails with EEXIST like an exclusive
 * create, and the lock appears with its pid written, so no reader ever sees it empty.
 */
function createExclusive(lockPath: string, content: string): boolean {
  const temp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkQuietly(temp);
  }
}

/**
 * Removes a stale lock without removing a fresh one: another starter may have replaced it since we
 * read it. Moving it aside is atomic; if what was moved is not what we judged stale, it goes back.
 */
function removeStale(lockPath: string, staleContent: string): void {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (readIfExists(aside) !== staleContent) linkSync(aside, lockPath);
  } catch (err) {
    // EEXIST: yet another starter created one meanwhile; the next round judges it.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkQuietly(aside);
  }
}

function isAlive(holder: Holder): boolean {
  // Not held here (checked first), so it is an earlier process that had our pid: a restarted
  // container's new process often gets the very pid its killed predecessor had.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: alive, under another user.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = startTimeOf(holder.pid);
  return holder.started === null || started === null || started === holder.started;
}

/** A process's start time from /proc/PID/stat (field 22), or null where there is no /proc. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function parseHolder(raw: string): Holder | null {
  try {
    const value = JSON.parse(raw) as Partial<Holder>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return null;
    return { pid: value.pid, started: typeof value.started === 'string' ? value.started : null, app: typeof value.app === 'string' ? value.app : '' };
  } catch {
    // Not ours or damaged: nothing alive stands behind it.
    return null;
  }
}

function heldName(lockPath: string): string {
  const raw = readIfExists(lockPath);
  return (raw && parseHolder(raw)?.app) || '';
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
