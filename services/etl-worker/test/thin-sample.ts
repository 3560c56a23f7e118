import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readRaw } from './raw-imdb';
import { IMDB } from './samples';

/**
 * A tenth of head-50k (by default), every dataset, for the tests where the size of the input is not
 * the point: every `every`-th title of title.basics, and of each other file the rows about those
 * titles (episodes by their series too), so titles keep their akas, ratings, credits and crew as in
 * the real sample; name.basics keeps the people those rows name and every `every`-th other one.
 * Unedited lines of the real files, in their order, so everything an import meets in head-50k it
 * meets here, on about a tenth of the rows. Written to a temporary folder; `dispose` removes it.
 */
export class ThinSample {
  readonly dir: string;
  /** Data rows (header excluded) per dataset. */
  readonly rows: Record<string, number> = {};

  constructor(every = 10) {
    const head = IMDB('head-50k');
    this.dir = mkdtempSync(join(tmpdir(), 'cine-thin-'));
    const basics = readRaw(head, 'title.basics')!;
    const titles = new Set(basics.filter((_, i) => i % every === 0).map((r) => r[0]!));
    const picked: Record<string, string[][]> = { 'title.basics': basics.filter((r) => titles.has(r[0]!)) };
    for (const dataset of ['title.akas', 'title.crew', 'title.principals', 'title.ratings']) {
      picked[dataset] = readRaw(head, dataset)!.filter((r) => titles.has(r[0]!));
    }
    picked['title.episode'] = readRaw(head, 'title.episode')!.filter((r) => titles.has(r[0]!) || titles.has(r[1]!));
    const named = new Set<string>();
    for (const r of picked['title.principals']!) named.add(r[2]!);
    for (const r of picked['title.crew']!) for (const list of [r[1]!, r[2]!]) if (list !== '\\N') for (const n of list.split(',')) named.add(n);
    picked['name.basics'] = readRaw(head, 'name.basics')!.filter((r, i) => named.has(r[0]!) || i % every === 0);
    for (const [dataset, rows] of Object.entries(picked)) {
      const header = gunzipSync(readFileSync(join(head, `${dataset}.tsv.gz`))).toString('utf8').split('\n', 1)[0]!;
      writeFileSync(this.file(dataset), gzipSync([header, ...rows.map((r) => r.join('\t')), ''].join('\n')));
      this.rows[dataset] = rows.length;
    }
  }

  file(dataset: string): string {
    return join(this.dir, `${dataset}.tsv.gz`);
  }

  /** Data rows in all its files. */
  get totalRows(): number {
    return Object.values(this.rows).reduce((a, b) => a + b, 0);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
