/**
 * Loading COPY text so that a row the database refuses is named by its source file and line.
 *
 * PostgreSQL names a refused row by its place in the COPY statement ("COPY crew, line 1234"),
 * which says nothing of the file: rows are filtered, one input line may give several rows (crew),
 * and a table's rows come from several files. So the producer says, for each chunk, which file
 * and which line each of its rows came from, and the load runs as a series of COPY statements,
 * each within one file and a bounded size: a refused row's number then counts from the start of
 * its statement, on both backends, and maps back to its line exactly.
 */

/** COPY text with where its rows come from. */
export interface SourcedChunk {
  /** Rows in COPY text format, each ending with a newline (may be empty). */
  text: string;
  file: string;
  /** The source line of each row of `text`, in order. */
  lines: Int32Array;
  /** The file's last chunk: its COPY statement ends here, before the producer moves on. */
  endOfFile: boolean;
  /**
   * The table the rows go to, when a producer fills two (title.basics fills `title` and
   * `film_index` in one read): a COPY statement never mixes targets. Undefined: the caller's table.
   */
  target?: string;
}

/**
 * A COPY statement takes chunks up to this many characters (one chunk alone may be more). The
 * embedded PGlite cuts its own COPY statements every 8 MiB: staying below keeps one statement per
 * segment there too. Ending a statement costs one round trip; at 4 MiB that is a few per second
 * of import at most.
 */
export const SEGMENT_CHARS = 4 << 20;

/** The database refused rows of a COPY: which file, which line when it says which row. */
export class CopyRefusedError extends Error {
  override readonly name = 'CopyRefusedError';

  constructor(
    readonly file: string,
    /** The source line of the refused row; null when the database named no row. */
    readonly line: number | null,
    message: string,
    /** The data is at fault (a constraint, a value, a size): retrying cannot help. */
    readonly badInput: boolean,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Load `chunks` through `copy`, one COPY statement per segment. When the database refuses a row,
 * the error is thrown into the producer first (suspended in the refused row's file, so it can
 * record that file as failed), then to the caller, as a CopyRefusedError
 * `<file>: line <n>: <database message>`. A failure of the producer itself passes unchanged.
 */
export async function copyInSegments(
  chunks: AsyncGenerator<SourcedChunk>,
  copy: (rows: AsyncIterable<string>, target: string | undefined) => Promise<void>,
  segmentChars = SEGMENT_CHARS,
): Promise<void> {
  let lookahead: SourcedChunk | null = null;
  let producerFailed = false;
  const pull = async (): Promise<SourcedChunk | null> => {
    if (lookahead) {
      const chunk = lookahead;
      lookahead = null;
      return chunk;
    }
    try {
      const next = await chunks.next();
      return next.done ? null : next.value;
    } catch (err) {
      producerFailed = true;
      throw err;
    }
  };

  for (;;) {
    let first = await pull();
    // A file that kept no row: nothing to load.
    while (first && first.text.length === 0 && first.endOfFile) first = await pull();
    if (!first) return;
    const segment: SourcedChunk[] = [];
    const rows = async function* (): AsyncGenerator<string> {
      let chunk: SourcedChunk | null = first;
      let size = 0;
      while (chunk) {
        segment.push(chunk);
        size += chunk.text.length;
        if (chunk.text.length > 0) yield chunk.text;
        if (chunk.endOfFile) return;
        const next: SourcedChunk | null = await pull();
        if (next && (size + next.text.length > segmentChars || next.target !== first!.target)) {
          // The next statement starts with it (a bigger one, or one to another table). The
          // producer stays in the same file: it only moves on after a chunk marked endOfFile.
          lookahead = next;
          return;
        }
        chunk = next;
      }
    };
    try {
      await copy(rows(), first.target);
    } catch (err) {
      if (producerFailed) throw err;
      const refused = locate(segment, err);
      await chunks.throw(refused).catch(() => {});
      throw refused;
    }
  }
}

/** SQLSTATE classes of refusals the data causes: 22 data exception, 23 integrity constraint, 54 program limit (an index entry too big). */
const BAD_INPUT_CLASSES = ['22', '23', '54'];

function locate(segment: SourcedChunk[], err: unknown): CopyRefusedError {
  const file = segment[0]!.file;
  const { message, where, code } = err as { message?: unknown; where?: unknown; code?: unknown };
  // Only the message: `detail` and `where` may quote the row's values.
  const reason = typeof message === 'string' ? message : String(err);
  const badInput = typeof code === 'string' && BAD_INPUT_CLASSES.includes(code.slice(0, 2));
  const row = typeof where === 'string' ? /\bCOPY [^,]+, line (\d+)/.exec(where) : null;
  if (row) {
    let n = Number(row[1]);
    for (const chunk of segment) {
      if (n <= chunk.lines.length) {
        const line = chunk.lines[n - 1]!;
        return new CopyRefusedError(file, line, `${file}: line ${line}: ${reason}`, badInput, { cause: err });
      }
      n -= chunk.lines.length;
    }
  }
  const firstLine = segment.find((c) => c.lines.length > 0)?.lines[0];
  const lastChunk = segment.findLast((c) => c.lines.length > 0);
  const lastLine = lastChunk?.lines[lastChunk.lines.length - 1];
  const span = firstLine === undefined ? '' : ` lines ${firstLine} to ${lastLine}:`;
  return new CopyRefusedError(file, null, `${file}:${span} ${reason}`, badInput, { cause: err });
}

/**
 * Load a producer that fills two tables (title.basics fills `title` and `film_index` in one read)
 * as two series of COPY statements, the second beside the first: the chunks marked `sideTarget`
 * go to it. In one series, a statement ends at every change of target and the reading waits while
 * the database finishes it: at scale 1 (947 k film rows beside 103 k titles) Node sat idle for
 * most of title.basics.
 *
 * A side statement starts only once its rows are all in memory (a segment's worth, or up to the
 * end of a file): it never waits for the reading, so it cannot hold a pooled connection the main
 * series needs — with one connection (the first-import one-shot) the two series take turns, with
 * more they run at once. The side's chunks wait in memory while the database takes them (at most
 * the side's rows: about 72 MB at scale 1).
 *
 * A refused row is named by file and line as with copyInSegments, and the producer is told; a
 * failure of either side stops the other.
 */
export async function copyInSegmentsSplit(
  chunks: AsyncGenerator<SourcedChunk>,
  sideTarget: string,
  copy: (rows: AsyncIterable<string>, target: string | undefined) => Promise<void>,
  segmentChars = SEGMENT_CHARS,
): Promise<void> {
  const side = new SegmentQueue(segmentChars);
  let sideFailure: unknown = null;

  async function* mainChunks(): AsyncGenerator<SourcedChunk> {
    let failure: unknown = null;
    try {
      for (;;) {
        if (sideFailure) {
          // The side refused a row: the producer learns it (and records its file), then it ends.
          await chunks.throw(sideFailure).catch(() => {});
          throw sideFailure;
        }
        const next = await chunks.next();
        if (next.done) return;
        if (next.value.target === sideTarget) {
          side.push(next.value);
          continue;
        }
        try {
          yield next.value;
        } catch (err) {
          // copyInSegments throws a refusal of the main table in here: on to the producer.
          await chunks.throw(err).catch(() => {});
          throw err;
        }
      }
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      side.end(failure);
    }
  }

  async function loadSide(): Promise<void> {
    try {
      for (let segment = await side.next(); segment !== null; segment = await side.next()) {
        await copyInSegments(fromArray(segment), copy, segmentChars);
      }
    } catch (err) {
      sideFailure ??= err;
      throw err;
    }
  }

  const sideLoad = loadSide();
  sideLoad.catch(() => {});
  let mainError: unknown = null;
  try {
    await copyInSegments(mainChunks(), copy, segmentChars);
  } catch (err) {
    mainError = err;
  }
  // The side's own refusal names its row: it comes first when both failed because of it.
  const sideError = await sideLoad.then(
    () => null,
    (err: unknown) => err,
  );
  if (sideError && (mainError === null || mainError === sideError || !(mainError instanceof CopyRefusedError))) throw sideError;
  if (mainError) throw mainError;
}

async function* fromArray(chunks: SourcedChunk[]): AsyncGenerator<SourcedChunk> {
  yield* chunks;
}

/**
 * The side's chunks, handed out a whole segment at a time: the chunks up to `segmentChars` or to
 * the end of a file, once they are all here. Pushing never blocks the reading.
 */
class SegmentQueue {
  private readonly chunks: SourcedChunk[] = [];
  private chars = 0;
  /** Whether a chunk marked endOfFile is queued. */
  private ends = 0;
  private wake: (() => void) | null = null;
  private ended = false;
  private failure: unknown = null;

  constructor(private readonly segmentChars: number) {}

  push(chunk: SourcedChunk): void {
    this.chunks.push(chunk);
    this.chars += chunk.text.length;
    if (chunk.endOfFile) this.ends++;
    if (this.ready()) this.signal();
  }

  /** No more chunks; with a failure the side stops rather than loading what is left. */
  end(failure: unknown = null): void {
    this.ended = true;
    this.failure = failure;
    this.signal();
  }

  /** The next segment once it is whole; null when everything was handed out. */
  async next(): Promise<SourcedChunk[] | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.ready() || (this.ended && this.chunks.length > 0)) return this.take();
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private ready(): boolean {
    return this.ends > 0 || this.chars >= this.segmentChars;
  }

  private take(): SourcedChunk[] {
    let n = 0;
    let chars = 0;
    while (n < this.chunks.length) {
      const chunk = this.chunks[n]!;
      if (n > 0 && chars + chunk.text.length > this.segmentChars) break;
      n++;
      chars += chunk.text.length;
      if (chunk.endOfFile) break;
    }
    const taken = this.chunks.splice(0, n);
    this.chars -= chars;
    this.ends -= taken.filter((c) => c.endOfFile).length;
    return taken;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
