import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** A writable copy of a sample folder, to corrupt one way per test. */
export class SampleCopy {
  readonly dir: string;

  constructor(source: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'cine-corrupt-'));
    cpSync(source, this.dir, { recursive: true });
  }

  file(dataset: string): string {
    return join(this.dir, `${dataset}.tsv.gz`);
  }

  bytes(dataset: string, edit: (raw: Buffer) => Buffer): this {
    writeFileSync(this.file(dataset), edit(readFileSync(this.file(dataset))));
    return this;
  }

  /** Edit the decompressed text, line by line (index 0 is the header). */
  lines(dataset: string, edit: (lines: string[]) => string[]): this {
    return this.bytes(dataset, (gz) => {
      const lines = gunzipSync(gz).toString('utf8').split('\n');
      return gzipSync(Buffer.from(edit(lines).join('\n'), 'utf8'));
    });
  }

  /** Replace byte `column` of line `lineNo` (1-based, header is 1) of the decompressed file. */
  poisonByte(dataset: string, lineNo: number, column: number, byte: number): this {
    return this.bytes(dataset, (gz) => {
      const raw = gunzipSync(gz);
      let line = 1;
      let i = 0;
      while (line < lineNo) if (raw[i++] === 10) line++;
      raw[i + column] = byte;
      return gzipSync(raw);
    });
  }

  truncate(dataset: string, share: number): this {
    return this.bytes(dataset, (gz) => gz.subarray(0, Math.floor(gz.length * share)));
  }

  remove(dataset: string): this {
    unlinkSync(this.file(dataset));
    return this;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
