import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { IMDB } from './samples';

/**
 * A tenth of head-50k (by default), every dataset, for the tests where the size of the input is not
 * the point: every `every`-th title of title.basics, and of each other file the rows about those
 * titles (episodes by their series too), so titles keep their akas, ratings, credits and crew as in
 * the real sample; name.basics keeps the people those rows name and every `every`-th other one.
 * Unedited lines of the real files, in their order: the same kinds of rows as head-50k (series
 * and episodes, French akas, people missing from name.basics), on about a tenth of them. Written
 * to a temporary folder when first read (about 0.4 s); `dispose` removes it.
 */
export class ThinSample {
  private made: { dir: string; rows: Record<string, number> } | null = null;

  /** Written when first read (`dir`, `rows`, `file`), from every `every`-th title. */
  constructor(private readonly every = 10) {}

  /** One for the tests of a describe block: written when first read, removed after its tests. */
  static forSuite(every = 10): ThinSample {
    const sample = new ThinSample(every);
    afterAll(() => sample.dispose());
    return sample;
  }

  get dir(): string {
    return this.make().dir;
  }

  /** Data rows (header excluded) per dataset. */
  get rows(): Readonly<Record<string, number>> {
    return this.make().rows;
  }

  file(dataset: string): string {
    return join(this.dir, `${dataset}.tsv.gz`);
  }

  /** Data rows in all its files. */
  get totalRows(): number {
    return Object.values(this.rows).reduce((a, b) => a + b, 0);
  }

  dispose(): void {
    if (this.made) rmSync(this.made.dir, { recursive: true, force: true });
    this.made = null;
  }

  private make(): { dir: string; rows: Record<string, number> } {
    if (this.made) return this.made;
    const head = IMDB('head-50k');
    const dir = mkdtempSync(join(tmpdir(), 'cine-thin-'));
    const rows: Record<string, number> = {};
    /** The file's header and data lines, unsplit (splitting every line into fields is most of the cost). */
    const read = (dataset: string) => {
      const lines = gunzipSync(readFileSync(join(head, `${dataset}.tsv.gz`))).toString('utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      return { header: lines[0]!, data: lines.slice(1) };
    };
    const field = (line: string, i: number) => line.split('\t', i + 1)[i]!;
    const key = (line: string) => line.slice(0, line.indexOf('\t'));
    const write = (dataset: string, header: string, kept: string[]) => {
      writeFileSync(join(dir, `${dataset}.tsv.gz`), gzipSync([header, ...kept, ''].join('\n'), { level: 1 }));
      rows[dataset] = kept.length;
    };

    const basics = read('title.basics');
    const titles = new Set(basics.data.filter((_, i) => i % this.every === 0).map(key));
    write('title.basics', basics.header, basics.data.filter((l) => titles.has(key(l))));
    const named = new Set<string>();
    for (const dataset of ['title.akas', 'title.crew', 'title.principals', 'title.ratings', 'title.episode']) {
      const { header, data } = read(dataset);
      // Episodes go with their series as well as with themselves.
      const kept = data.filter((l) => titles.has(key(l)) || (dataset === 'title.episode' && titles.has(field(l, 1))));
      if (dataset === 'title.principals') for (const l of kept) named.add(field(l, 2));
      if (dataset === 'title.crew') {
        for (const l of kept) for (const list of l.split('\t').slice(1, 3)) if (list !== '\\N') for (const n of list.split(',')) named.add(n);
      }
      write(dataset, header, kept);
    }
    const names = read('name.basics');
    write('name.basics', names.header, names.data.filter((l, i) => named.has(key(l)) || i % this.every === 0));
    this.made = { dir, rows };
    return this.made;
  }
}
