import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Charts as Vega-Lite specifications, rendered to SVG here on the server (Vega's headless
 * renderer): the report is one static file that opens anywhere, with no script and no network.
 */

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  background: '#ffffff',
  axis: { labelFontSize: 13, titleFontSize: 14, labelLimit: 220, titleFontWeight: 600 },
  legend: { labelFontSize: 13, titleFontSize: 14, orient: 'bottom', labelLimit: 260 },
  header: { labelFontSize: 14, titleFontSize: 14 },
  title: { fontSize: 16 },
  range: { category: ['#1f5fa8', '#d1495b', '#edae49', '#00798c', '#6a4c93', '#66a182', '#8d6a9f', '#30638e'] },
  view: { stroke: null },
};

export type ChartSpec = Omit<TopLevelSpec, 'config' | '$schema'> & Record<string, unknown>;

// Numbers as a French reader writes them: 12 500, 3,5.
vega.formatLocale({ decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0$'] });

/** A chart without data still gets a frame saying so, rather than empty axes. */
const EMPTY: ChartSpec = {
  width: 400,
  height: 40,
  data: { values: [{ text: 'Aucune donnée dans ce catalogue' }] },
  mark: { type: 'text', fontSize: 15, color: '#5a6477', align: 'left', x: 0 },
  encoding: { text: { field: 'text' } },
};

function hasData(spec: ChartSpec): boolean {
  const data = spec.data as { values?: unknown[] } | undefined;
  return !data?.values || data.values.length > 0;
}

export async function renderSvg(spec: ChartSpec): Promise<string> {
  if (!hasData(spec)) spec = EMPTY;
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: CONFIG, ...spec } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Vega fixes the pixel size; a viewBox lets the page scale the chart down on a phone.
    return svg.replace(/^<svg([^>]*?) width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/, (_m, attrs: string, w: string, h: string) => {
      return `<svg${attrs} viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img"`;
    });
  } finally {
    view.finalize();
  }
}

type Data = Record<string, unknown>[];
const WIDTH = 620;

export function barH(values: Data, opts: { y: string; x: string; yTitle: string | null; xTitle: string; color?: string; colorTitle?: string; format?: string; sort?: boolean }): ChartSpec {
  const rows = new Set(values.map((v) => v[opts.y])).size;
  return {
    width: WIDTH - 200,
    height: Math.max(60, rows * (opts.color ? 26 : 20)),
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: opts.y, type: 'nominal', title: opts.yTitle, sort: opts.sort === false ? null : '-x' },
      x: { field: opts.x, type: 'quantitative', title: opts.xTitle, ...(opts.format ? { axis: { format: opts.format } } : {}) },
      ...(opts.color ? { color: { field: opts.color, type: 'nominal', title: opts.colorTitle ?? null }, yOffset: { field: opts.color } } : {}),
    },
  };
}

export function barV(values: Data, opts: { x: string; y: string; xTitle: string; yTitle: string; color?: string; colorTitle?: string; stack?: boolean; format?: string }): ChartSpec {
  return {
    width: WIDTH,
    height: 260,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: opts.x, type: 'ordinal', title: opts.xTitle, axis: { labelAngle: -40 } },
      y: { field: opts.y, type: 'quantitative', title: opts.yTitle, stack: opts.stack === false ? null : 'zero', ...(opts.format ? { axis: { format: opts.format } } : {}) },
      ...(opts.color
        ? { color: { field: opts.color, type: 'nominal', title: opts.colorTitle ?? null }, ...(opts.stack === false ? { xOffset: { field: opts.color } } : {}) }
        : {}),
    },
  };
}

export function lines(values: Data, opts: { x: string; y: string; series: string; xTitle: string; yTitle: string; xType?: 'quantitative' | 'ordinal'; format?: string; zero?: boolean }): ChartSpec {
  return {
    width: WIDTH,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: opts.x, type: opts.xType ?? 'quantitative', title: opts.xTitle, axis: { format: 'd' } },
      y: { field: opts.y, type: 'quantitative', title: opts.yTitle, scale: { zero: opts.zero ?? false }, ...(opts.format ? { axis: { format: opts.format } } : {}) },
      color: { field: opts.series, type: 'nominal', title: null },
    },
  };
}

/** Facets of horizontal bars sharing an axis, one per group (lift by genre, decade, …). */
export function facetBars(values: Data, opts: { facet: string; y: string; x: string; xTitle: string; rule?: number; highlight?: string }): ChartSpec {
  return {
    data: { values },
    facet: { row: { field: opts.facet, type: 'nominal', title: null, header: { labelOrient: 'top', labelAnchor: 'start', labelAngle: 0, labelAlign: 'left', labelFontWeight: 600, labelFontSize: 15, labelPadding: 8 } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: WIDTH - 260,
      height: { step: 18 },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: { field: opts.y, type: 'nominal', title: null, sort: '-x' },
            x: { field: opts.x, type: 'quantitative', title: opts.xTitle },
            color: { condition: { test: opts.highlight ?? `datum.${opts.x} >= ${opts.rule ?? 1}`, value: '#00798c' }, value: '#b8b8b8' },
          },
        },
        ...(opts.rule === undefined ? [] : [{ mark: { type: 'rule', color: '#333', strokeDash: [4, 3] }, encoding: { x: { datum: opts.rule } } }]),
      ],
    },
  } as ChartSpec;
}
