/**
 * Three small charts drawn by hand: a chart library would cost more than the whole page. The
 * SVG viewBoxes are narrow (400 units) so their text stays legible when a phone scales them down;
 * each chart is labelled by the sentence that says what it shows, and a table carries the figures.
 */

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

export function BarChart(props: { labelledBy: string; bars: { label: string; value: number; highlight: boolean }[]; format: (v: number) => string }) {
  const W = 400;
  const H = 230;
  const top = 28;
  const bottom = 32;
  const n = props.bars.length;
  const max = niceMax(Math.max(...props.bars.map((b) => b.value)));
  // Side padding keeps the first and last year labels inside the drawing.
  const pad = 18;
  const slot = (W - 2 * pad) / n;
  const barW = Math.max(4, slot * 0.7);
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  // Full years stay readable: with many bars, every other one is labelled.
  const labelEvery = n > 8 ? 2 : 1;
  // A value over the first or last bar is anchored inside the chart, never cut at its edge.
  const anchor = (i: number) => (i === 0 && n > 4 ? 'start' : i === n - 1 && n > 4 ? 'end' : 'middle');
  const valueX = (i: number, x: number) => (anchor(i) === 'start' ? x : anchor(i) === 'end' ? x + barW : x + barW / 2);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={props.labelledBy}>
      <line x1="0" x2={W} y1={H - bottom} y2={H - bottom} class="chart__axis" />
      {props.bars.map((b, i) => {
        const x = pad + i * slot + (slot - barW) / 2;
        const yy = y(b.value);
        return (
          <g key={b.label}>
            <rect x={x} y={yy} width={barW} height={H - bottom - yy} rx="3" class={b.highlight ? 'chart__bar chart__bar--hi' : 'chart__bar'} />
            {(b.highlight || n <= 8) && (
              <text x={valueX(i, x)} y={yy - 6} text-anchor={anchor(i)} class="chart__value">
                {props.format(b.value)}
              </text>
            )}
            {(n - 1 - i) % labelEvery === 0 && (
              <text x={x + barW / 2} y={H - 8} text-anchor="middle" class="chart__label">
                {b.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function LineChart(props: { labelledBy: string; points: { x: number; y: number }[]; yUnit: string }) {
  const W = 400;
  const H = 230;
  const left = 44;
  const right = 24;
  const top = 30;
  const bottom = 32;
  const xs = props.points.map((p) => p.x);
  const ys = props.points.map((p) => p.y);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.max(0, Math.floor(Math.min(...ys) / 20) * 20);
  const y1 = Math.ceil(Math.max(...ys) / 20) * 20;
  const px = (x: number) => left + ((W - left - right) * (x - x0)) / Math.max(1, x1 - x0);
  const py = (y: number) => top + ((H - top - bottom) * (y1 - y)) / Math.max(1, y1 - y0);
  const d = props.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
  const yTicks = [y0, (y0 + y1) / 2, y1];
  const step = x1 - x0 > 60 ? 20 : 10;
  const xTicks: number[] = [];
  for (let x = Math.ceil(x0 / step) * step; x <= x1; x += step) xTicks.push(x);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={props.labelledBy}>
      {yTicks.map((v) => (
        <g key={v}>
          <line x1={left} x2={W - right} y1={py(v)} y2={py(v)} class="chart__grid" />
          <text x={left - 6} y={py(v) + 6} text-anchor="end" class="chart__label">
            {Math.round(v)}
          </text>
        </g>
      ))}
      {xTicks.map((x) => (
        <text key={x} x={px(x)} y={H - 8} text-anchor="middle" class="chart__label">
          {x}
        </text>
      ))}
      <path d={d} class="chart__line" />
      {props.points.map((p) => (
        <circle key={p.x} cx={px(p.x)} cy={py(p.y)} r="3.5" class="chart__dot" />
      ))}
      <text x={left - 6} y={top - 14} text-anchor="end" class="chart__unit">
        {props.yUnit}
      </text>
    </svg>
  );
}

/** A ranking as an HTML list with bars: long names wrap and stay legible on a phone. */
export function RankedBars(props: { rows: { label: string; value: number; display: string }[]; max: number }) {
  return (
    <ol class="ranked">
      {props.rows.map((r, i) => (
        <li key={`${r.label}-${i}`} class="ranked__row">
          <span class="ranked__label">{r.label}</span>
          <span class="ranked__bar" aria-hidden="true">
            <span class="ranked__fill" style={{ width: `${Math.max(2, (100 * r.value) / props.max).toFixed(1)}%` }} />
          </span>
          <span class="ranked__value">{r.display}</span>
        </li>
      ))}
    </ol>
  );
}
