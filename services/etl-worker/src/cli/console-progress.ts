import type { ImportProgress, ImportRunView } from '@cine/common';
import type { DownloadProgress } from '../sources/download-cache.repository';

/**
 * The first start's progress on the console, for someone who just typed `npm start`: one bar
 * redrawn in place on a terminal, a plain line every few seconds otherwise (a log file, CI).
 */
export class ConsoleProgress {
  private lastPlain = 0;
  private lastLine = '';
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly plainEveryMs = 3000,
  ) {}

  download(p: DownloadProgress): void {
    const share = p.total ? p.bytes / p.total : null;
    this.draw(share, `downloading ${p.file} (${p.fileIndex}/${p.fileCount}) · ${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`);
  }

  importRun(view: ImportRunView): void {
    const step = view.steps.find((s) => s.state === 'active') ?? view.steps.find((s) => s.state === 'waiting');
    if (!step) return;
    const p: ImportProgress | null = step.progress;
    if (p?.phase === 'download' && p.file) {
      this.download({ file: p.file, fileIndex: p.fileIndex, fileCount: p.fileCount, bytes: p.bytesRead, total: p.bytesTotal });
      return;
    }
    const share = p?.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : null;
    const where = p ? `${p.phase}${p.fileCount ? ` (file ${p.fileIndex}/${p.fileCount})` : ''}` : step.state;
    const rows = p ? ` · ${formatCount(p.rowsRead)} rows read, ${formatCount(p.rowsKept)} kept` : '';
    this.draw(share, `${step.name}: ${where}${rows}`);
  }

  /** A line of its own, ending whatever bar is drawn. */
  say(message: string): void {
    this.end();
    this.out.write(`${message}\n`);
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }

  private draw(share: number | null, what: string): void {
    if (this.out.isTTY) {
      const width = 24;
      const filled = share === null ? 0 : Math.round(share * width);
      const bar = share === null ? '·'.repeat(width) : `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const pct = share === null ? '    ' : `${String(Math.round(share * 100)).padStart(3)}%`;
      const columns = (this.out.columns || 120) - 1;
      this.out.write(`\r${`${bar} ${pct} ${what}`.slice(0, columns).padEnd(columns)}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    const line = `progress: ${what}${share === null ? '' : ` ${Math.round(share * 100)}%`}`;
    if (now - this.lastPlain < this.plainEveryMs || line === this.lastLine) return;
    this.lastPlain = now;
    this.lastLine = line;
    this.out.write(`${line}\n`);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
