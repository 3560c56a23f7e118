import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FULL_SCALE_ROWS, IMDB_FILES, IMDB_HEADERS, type ImdbFile, imdbFileName, rowTargets } from '../../tools/generator/imdb-files';
import { GENRES } from '../../tools/generator/imdb-vocabulary';
import { generateImdb, type GenerateImdbReport, planBins } from '../../tools/generator/imdb-generator.service';

const SCALE = 0.001;
const dirs: string[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gen-imdb-spec-'));
  dirs.push(dir);
  return dir;
}

type Table = { header: string[]; rows: string[][] };

async function readTable(dir: string, file: ImdbFile): Promise<Table> {
  const text = gunzipSync(await readFile(join(dir, imdbFileName(file)))).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  return { header: (lines[0] as string).split('\t'), rows: lines.slice(1).map((l) => l.split('\t')) };
}

let dir: string;
let report: GenerateImdbReport;
const tables = {} as Record<ImdbFile, Table>;

beforeAll(async () => {
  dir = await freshDir();
  report = await generateImdb({ outDir: dir, scale: SCALE, jobs: 1 });
  for (const file of IMDB_FILES) tables[file] = await readTable(dir, file);
});

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('generateImdb at a tiny scale', () => {
  it('writes exactly the seven files, with no partial files left behind', async () => {
    expect((await readdir(dir)).sort()).toEqual(IMDB_FILES.map(imdbFileName).sort());
    expect(report.gzBytes).toBeLessThan(5_000_000);
  });

  it.each(IMDB_FILES)('%s has the official header and well-formed rows', (file) => {
    const { header, rows } = tables[file];
    expect(header).toEqual(IMDB_HEADERS[file]);
    // IMDb writes \N for nulls, never an empty field, and never quotes a field.
    const malformed = rows.filter((row) => row.length !== header.length || row.some((field) => field.length === 0));
    expect(malformed.slice(0, 3)).toEqual([]);
  });

  it('has the row counts of the real dump scaled by S', () => {
    const want = rowTargets(SCALE);
    const count = (f: ImdbFile): number => tables[f].rows.length;
    expect(count('title.basics')).toBe(Math.round(FULL_SCALE_ROWS['title.basics'] * SCALE));
    expect(count('title.crew')).toBe(count('title.basics'));
    for (const f of ['title.akas', 'title.principals', 'title.ratings', 'name.basics'] as const) {
      expect(count(f)).toBe(Math.round(FULL_SCALE_ROWS[f] * SCALE));
    }
    // Episodes follow the type mix (stratified per block of 1000 titles), so allow rounding.
    expect(Math.abs(count('title.episode') - want['title.episode'])).toBeLessThanOrEqual(want['title.episode'] * 0.002 + 2);
    expect(report.files.map((f) => [f.file, f.rows])).toEqual(IMDB_FILES.map((f) => [f, count(f)]));
  });

  it('keeps ids consistent across files', () => {
    const types = new Map(tables['title.basics'].rows.map((r) => [r[0] as string, r[1] as string]));
    const names = new Set(tables['name.basics'].rows.map((r) => r[0] as string));
    expect([...types.keys()].filter((id) => !/^tt\d{7,}$/.test(id))).toEqual([]);
    expect([...names].filter((id) => !/^nm\d{7,}$/.test(id))).toEqual([]);

    const titleRefs: [ImdbFile, number][] = [['title.akas', 0], ['title.crew', 0], ['title.episode', 0], ['title.episode', 1], ['title.principals', 0], ['title.ratings', 0]];
    for (const [file, col] of titleRefs) {
      const missing = tables[file].rows.filter((r) => !types.has(r[col] as string));
      expect({ file, missing: missing.length }).toEqual({ file, missing: 0 });
    }
    const badEpisodes = tables['title.episode'].rows.filter(
      (r) => types.get(r[0] as string) !== 'tvEpisode' || !['tvSeries', 'tvMiniSeries'].includes(types.get(r[1] as string) ?? ''),
    );
    expect(badEpisodes).toEqual([]);
    const episodeTitles = [...types.values()].filter((t) => t === 'tvEpisode').length;
    expect(tables['title.episode'].rows).toHaveLength(episodeTitles);

    const knownFor = tables['name.basics'].rows.flatMap((r) => (r[5] === '\\N' ? [] : (r[5] as string).split(',')));
    expect(knownFor.length).toBeGreaterThan(0);
    expect(knownFor.filter((t) => !types.has(t))).toEqual([]);

    // A small share of person references dangle, as in the real dump; most resolve.
    const personRefs = [
      ...tables['title.principals'].rows.map((r) => r[2] as string),
      ...tables['title.crew'].rows.flatMap((r) => [r[1], r[2]].filter((v) => v !== '\\N').flatMap((v) => (v as string).split(','))),
    ];
    const dangling = personRefs.filter((n) => !names.has(n)).length / personRefs.length;
    expect(dangling).toBeGreaterThan(0.001);
    expect(dangling).toBeLessThan(0.015);
  });

  it('sorts rows by id, then ordering, as the dump does', () => {
    const num = (id: string): number => Number(id.slice(2));
    for (const file of ['title.basics', 'title.crew', 'title.ratings', 'title.episode', 'name.basics'] as const) {
      const ids = tables[file].rows.map((r) => num(r[0] as string));
      const outOfOrder = ids.filter((id, k) => k > 0 && id <= (ids[k - 1] as number));
      expect({ file, outOfOrder }).toEqual({ file, outOfOrder: [] });
    }
    for (const file of ['title.akas', 'title.principals'] as const) {
      let prev = '';
      let ordering = 0;
      const bad: string[][] = [];
      for (const r of tables[file].rows) {
        if (r[0] !== prev) {
          if (num(r[0] as string) <= (prev ? num(prev) : 0)) bad.push(r);
          prev = r[0] as string;
          ordering = 0;
        }
        if (Number(r[1]) !== ++ordering) bad.push(r);
      }
      expect({ file, bad }).toEqual({ file, bad: [] });
    }
  });

  it('has a title-type mix like the real dump', () => {
    const rows = tables['title.basics'].rows;
    const share = (type: string): number => rows.filter((r) => r[1] === type).length / rows.length;
    expect(share('tvEpisode')).toBeCloseTo(0.772, 2);
    expect(Math.abs(share('short') - 0.08)).toBeLessThan(0.01);
    expect(Math.abs(share('movie') - 0.07)).toBeLessThan(0.01);
    expect(Math.abs(share('tvSeries') - 0.022)).toBeLessThan(0.005);
    for (const type of ['video', 'tvMovie', 'tvMiniSeries', 'tvSpecial', 'videoGame']) expect(share(type)).toBeGreaterThan(0);
    const adult = rows.filter((r) => r[4] === '1').length / rows.length;
    expect(adult).toBeGreaterThan(0.01);
    expect(adult).toBeLessThan(0.03);
  });

  it('uses only IMDb genres, one to three per title, in alphabetical order', () => {
    const known = new Set<string>(GENRES);
    const bad = tables['title.basics'].rows.filter((r) => {
      if (r[8] === '\\N') return false;
      const genres = (r[8] as string).split(',');
      return genres.length > 3 || !genres.every((g) => known.has(g)) || [...genres].sort().join() !== genres.join();
    });
    expect(bad).toEqual([]);
  });

  it('puts quotes and accented text in titles to exercise parsers', () => {
    const titles = tables['title.basics'].rows.flatMap((r) => [r[2], r[3]]);
    expect(titles.some((t) => t?.includes('"'))).toBe(true);
    expect(titles.some((t) => /Amélie|Le Fabuleux Destin/.test(t ?? ''))).toBe(true);
    expect(tables['title.akas'].rows.some((r) => r[3] === 'FR')).toBe(true);
    expect(tables['title.akas'].rows.some((r) => r[4] === 'fr')).toBe(true);
  });

  it('writes plausible ratings, principals and names', () => {
    const badRatings = tables['title.ratings'].rows.filter(
      (r) => !/^(10|[1-9])\.\d$/.test(r[1] as string) || Number(r[1]) > 10 || !(Number(r[2]) >= 5),
    );
    expect(badRatings).toEqual([]);
    const categories = new Set(tables['title.principals'].rows.map((r) => r[3]));
    for (const c of ['actor', 'actress', 'self', 'director', 'writer', 'producer', 'composer', 'cinematographer', 'editor']) {
      expect(categories.has(c)).toBe(true);
    }
    const badCharacters = tables['title.principals'].rows.filter((r) => r[5] !== '\\N' && !Array.isArray(JSON.parse(r[5] as string)));
    expect(badCharacters).toEqual([]);
    // Credits are skewed: someone is in many titles, while the typical credited person is in few.
    const credits = new Map<string, number>();
    for (const r of tables['title.principals'].rows) credits.set(r[2] as string, (credits.get(r[2] as string) ?? 0) + 1);
    const counts = [...credits.values()].sort((a, b) => a - b);
    expect(counts[counts.length - 1]).toBeGreaterThan(100);
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThanOrEqual(3);
    const withBirth = tables['name.basics'].rows.filter((r) => r[2] !== '\\N').length / tables['name.basics'].rows.length;
    expect(withBirth).toBeGreaterThan(0.2);
    expect(withBirth).toBeLessThan(0.6);
  });

  it('is deterministic: same arguments give byte-identical files, in a worker or not', async () => {
    const again = await freshDir();
    await generateImdb({ outDir: again, scale: SCALE, jobs: 2 });
    for (const file of IMDB_FILES) {
      const a = await readFile(join(dir, imdbFileName(file)));
      const b = await readFile(join(again, imdbFileName(file)));
      expect({ file, same: a.equals(b) }).toEqual({ file, same: true });
    }
  });

  it('gives different data for a different seed', async () => {
    const other = await freshDir();
    await generateImdb({ outDir: other, scale: SCALE, seed: 7, jobs: 1, files: ['title.basics'] });
    const a = await readFile(join(dir, imdbFileName('title.basics')));
    const b = await readFile(join(other, imdbFileName('title.basics')));
    expect(a.equals(b)).toBe(false);
  });
});

describe('vote distribution', () => {
  it('gives ≈ 50 k movies and ≈ 10 k series with 1000+ votes at scale 1, proportionally', async () => {
    const scale = 0.005;
    const out = await freshDir();
    await generateImdb({ outDir: out, scale, jobs: 1, files: ['title.basics', 'title.ratings'] });
    const basics = await readTable(out, 'title.basics');
    const ratings = await readTable(out, 'title.ratings');
    const info = new Map(basics.rows.map((r) => [r[0] as string, { type: r[1], adult: r[4] === '1' }]));
    let movies = 0;
    let series = 0;
    for (const r of ratings.rows) {
      const t = info.get(r[0] as string);
      if (!t || t.adult || Number(r[2]) < 1000) continue;
      if (t.type === 'movie') movies++;
      if (t.type === 'tvSeries') series++;
    }
    expect(ratings.rows.length / basics.rows.length).toBeCloseTo(0.13, 2);
    expect(movies / scale).toBeGreaterThan(40_000);
    expect(movies / scale).toBeLessThan(60_000);
    expect(series / scale).toBeGreaterThan(6_000);
    expect(series / scale).toBeLessThan(15_000);
  });
});

describe('rowTargets and planBins', () => {
  it('maps scale 1 to the real row counts and rejects scales outside (0, 1]', () => {
    expect(rowTargets(1)).toEqual(FULL_SCALE_ROWS);
    expect(() => rowTargets(0)).toThrow(RangeError);
    expect(() => rowTargets(1.5)).toThrow(RangeError);
  });

  it('spreads files over bins without losing or repeating any, keeping the big ones apart', () => {
    const targets = rowTargets(1);
    const bins = planBins(IMDB_FILES, 2, targets);
    expect(bins).toHaveLength(2);
    expect(bins.flat().sort()).toEqual([...IMDB_FILES].sort());
    const principalsBin = bins.find((b) => b.includes('title.principals'));
    expect(principalsBin).not.toContain('title.akas');
    expect(principalsBin).not.toContain('name.basics');
    expect(planBins(IMDB_FILES, 20, targets)).toHaveLength(IMDB_FILES.length);
    expect(planBins(IMDB_FILES, 1, targets)).toEqual([[...IMDB_FILES]]);
  });
});
