import { useEffect, useState } from 'preact/hooks';
import { type Api, isAbort, type KpiData } from '../api';
import { BarChart, LineChart, RankedBars } from '../components/charts';
import { formatDecimal, formatInt, type Lang, type Strings } from '../i18n';

const KPIS = ['catalogue_by_decade', 'runtime_by_year', 'best_rated_films', 'top_actors'] as const;
type KpiName = (typeof KPIS)[number];
type Loaded = Partial<Record<KpiName, KpiData | 'failed'>>;

const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null);

/** The catalogue in figures, for customers: four charts, each with a sentence and a table. */
export function KpiPage(props: { api: Api; lang: Lang; t: Strings }) {
  const { api, lang, t } = props;
  const [data, setData] = useState<Loaded>({});

  useEffect(() => {
    const ctrl = new AbortController();
    for (const name of KPIS) {
      api
        .kpi(name, ctrl.signal)
        .then((d) => setData((prev) => ({ ...prev, [name]: d })))
        .catch((err) => !isAbort(err) && setData((prev) => ({ ...prev, [name]: 'failed' })));
    }
    return () => ctrl.abort();
  }, []);

  return (
    <>
      <div class="intro">
        <h2 class="page-title">{t.kpiHeading}</h2>
        <p>{t.kpiIntro}</p>
      </div>
      <div class="kpis">
        <KpiCard id="kpi-decades" title={t.kpiDecadeTitle} data={data.catalogue_by_decade} t={t}>
          {(d) => <Decades data={d} lang={lang} t={t} />}
        </KpiCard>
        <KpiCard id="kpi-runtime" title={t.kpiRuntimeTitle} data={data.runtime_by_year} t={t}>
          {(d) => <Runtime data={d} lang={lang} t={t} />}
        </KpiCard>
        <KpiCard id="kpi-best" title={t.kpiBestTitle} data={data.best_rated_films} t={t}>
          {(d) => <Best data={d} lang={lang} t={t} />}
        </KpiCard>
        <KpiCard id="kpi-actors" title={t.kpiActorsTitle} data={data.top_actors} t={t}>
          {(d) => <Actors data={d} lang={lang} t={t} />}
        </KpiCard>
      </div>
    </>
  );
}

function KpiCard(props: { id: string; title: string; data: KpiData | 'failed' | undefined; t: Strings; children: (d: KpiData) => preact.ComponentChildren }) {
  return (
    <section class="kpi" aria-labelledby={`${props.id}-title`} id={props.id}>
      <h3 id={`${props.id}-title`} class="kpi__title">
        {props.title}
      </h3>
      {props.data === undefined ? (
        <p class="kpi__state">{props.t.kpiLoading}</p>
      ) : props.data === 'failed' ? (
        <p class="kpi__state">{props.t.kpiFailed}</p>
      ) : (
        props.children(props.data)
      )}
    </section>
  );
}

function Table(props: { caption: string; head: string[]; rows: (string | number)[][]; t: Strings }) {
  return (
    <details class="kpi__table">
      <summary>{props.t.kpiTable}</summary>
      <div class="table-scroll">
        <table>
          <caption class="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              {props.head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (j === 0 ? <th key={j} scope="row">{c}</th> : <td key={j}>{c}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function Decades({ data, lang, t }: { data: KpiData; lang: Lang; t: Strings }) {
  const rows = data.rows
    .filter((r) => r.kind === 'film' && num(r.decade) !== null)
    .map((r) => ({ decade: num(r.decade)!, n: num(r.titles) ?? 0 }))
    .sort((a, b) => a.decade - b.decade);
  if (rows.length === 0) return <p class="kpi__state">{t.kpiFailed}</p>;
  const top = rows.reduce((a, b) => (b.n > a.n ? b : a));
  const sentence = t.kpiDecadeSentence(t.yearsOf(top.decade), formatInt(top.n, lang));
  return (
    <figure class="kpi__figure">
      <figcaption id="kpi-decades-caption" class="kpi__sentence">
        {sentence}
      </figcaption>
      <BarChart labelledBy="kpi-decades-caption" bars={rows.map((r) => ({ label: String(r.decade), value: r.n, highlight: r === top }))} format={(v) => formatInt(v, lang)} />
      <Table caption={t.kpiDecadeTitle} head={[t.colDecade, t.colFilms]} rows={rows.map((r) => [t.yearsOf(r.decade), formatInt(r.n, lang)])} t={t} />
    </figure>
  );
}

function Runtime({ data, lang, t }: { data: KpiData; lang: Lang; t: Strings }) {
  // Years with a handful of films make the line jump: group by five years, weighted by films.
  const buckets = new Map<number, { films: number; minutes: number }>();
  for (const r of data.rows) {
    const year = num(r.year);
    const films = num(r.films) ?? 0;
    const mean = num(r.mean_runtime);
    if (year === null || mean === null || films === 0) continue;
    const key = year - (year % 5);
    const b = buckets.get(key) ?? { films: 0, minutes: 0 };
    b.films += films;
    b.minutes += mean * films;
    buckets.set(key, b);
  }
  const points = [...buckets.entries()]
    .filter(([, b]) => b.films >= 3)
    .sort(([a], [b]) => a - b)
    .map(([year, b]) => ({ x: year, y: b.minutes / b.films }));
  if (points.length < 2) return <p class="kpi__state">{t.kpiFailed}</p>;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const sentence = t.kpiRuntimeSentence(String(first.x), String(last.x), formatInt(Math.round(first.y), lang), formatInt(Math.round(last.y), lang));
  return (
    <figure class="kpi__figure">
      <figcaption id="kpi-runtime-caption" class="kpi__sentence">
        {sentence}
      </figcaption>
      <LineChart labelledBy="kpi-runtime-caption" points={points} yUnit="min" />
      <Table caption={t.kpiRuntimeTitle} head={[t.colYear, t.colMeanRuntime]} rows={points.map((p) => [`${p.x}–${p.x + 4}`, formatInt(Math.round(p.y), lang)])} t={t} />
    </figure>
  );
}

function Best({ data, lang, t }: { data: KpiData; lang: Lang; t: Strings }) {
  const rows = data.rows.slice(0, 10).map((r) => ({
    label: `${String(r.title ?? r.primary_title ?? '')}${num(r.year) !== null ? ` (${num(r.year)})` : ''}`,
    value: num(r.weighted_rating) ?? num(r.average_rating) ?? 0,
    rating: num(r.average_rating) ?? 0,
  }));
  if (rows.length === 0) return <p class="kpi__state">{t.kpiFailed}</p>;
  return (
    <figure class="kpi__figure">
      <figcaption class="kpi__sentence">{t.kpiBestSentence(rows[0]!.label, formatDecimal(rows[0]!.rating, lang))}</figcaption>
      <RankedBars rows={rows.map((r) => ({ label: r.label, value: r.rating, display: `${formatDecimal(r.rating, lang)} / 10` }))} max={10} />
      <p class="kpi__note">{t.kpiBestNote}</p>
    </figure>
  );
}

function Actors({ data, lang, t }: { data: KpiData; lang: Lang; t: Strings }) {
  const rows = data.rows
    .map((r) => ({ name: String(r.name ?? ''), films: num(r.films) ?? 0 }))
    // The view shows the IMDb id when the name is unknown: meaningless to a customer.
    .filter((r) => r.name !== '' && !/^nm\d+$/.test(r.name))
    .sort((a, b) => b.films - a.films || a.name.localeCompare(b.name))
    .slice(0, 10);
  if (rows.length === 0) return <p class="kpi__state">{t.kpiFailed}</p>;
  const max = rows[0]!.films;
  return (
    <figure class="kpi__figure">
      <figcaption class="kpi__sentence">{t.kpiActorsSentence(rows[0]!.name, formatInt(max, lang))}</figcaption>
      <RankedBars rows={rows.map((r) => ({ label: r.name, value: r.films, display: `${formatInt(r.films, lang)} ${t.colFilms.toLowerCase()}` }))} max={max} />
      <p class="kpi__note">{t.kpiActorsNote}</p>
    </figure>
  );
}
