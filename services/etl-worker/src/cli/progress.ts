import type { ImportProgress } from '@cine/common';

/**
 * Import progress on the terminal: a bar redrawn in place on a TTY, and a plain line every few
 * seconds otherwise (CI logs, `docker compose logs`), so nobody reads a wall of carriage returns.
 */
export class ProgressPrinter {
  private lastPlain = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly plainEveryMs = 2000,
  ) {}

  update(p: ImportProgress): void {
    const share = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : null;
    const what = `${p.phase}${p.fileCount ? ` (file ${p.fileIndex}/${p.fileCount})` : ''}`;
    const counts = `${formatCount(p.rowsRead)} rows read, ${formatCount(p.rowsKept)} kept`;
    if (this.out.isTTY) {
      const width = 24;
      const filled = share === null ? 0 : Math.round(share * width);
      const bar = share === null ? '·'.repeat(width) : `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const pct = share === null ? '   ' : `${String(Math.round(share * 100)).padStart(3)}%`;
      const line = `${bar} ${pct} ${what} · ${counts}`;
      this.out.write(`\r${line.slice(0, (this.out.columns || 120) - 1).padEnd((this.out.columns || 120) - 1)}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = now;
    this.out.write(`progress: ${what}${share === null ? '' : ` ${Math.round(share * 100)}%`} · ${counts}\n`);
  }

  done(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
