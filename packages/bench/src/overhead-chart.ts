/** A line chart of answer delay against model latency, as a hand-written SVG string (no chart library). */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  /** One value per x label, in ms; NaN or undefined where the cell had no answered call. */
  readonly p50: readonly (number | undefined)[];
  readonly p99: readonly (number | undefined)[];
}

export interface OverheadChart {
  readonly title: string;
  readonly subtitle: string;
  readonly xLabels: readonly string[];
  readonly series: readonly ChartSeries[];
}

const WIDTH = 800;
const HEIGHT = 440;
const PLOT = { left: 64, right: 560, top: 64, bottom: 350 };

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const present = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value);

/** A round step giving four to eight gridlines up to `max`. */
export function niceStep(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw);
  return step ?? 10 * magnitude;
}

/** Runs of consecutive present points, so a missing cell breaks the line instead of bridging it. */
function segments(points: readonly (readonly [number, number | undefined])[]): [number, number][][] {
  const runs: [number, number][][] = [];
  let current: [number, number][] = [];
  for (const [x, y] of points) {
    if (present(y)) {
      current.push([x, y]);
    } else if (current.length > 0) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

export function renderOverheadChart(chart: OverheadChart): string {
  const values = chart.series.flatMap((series) => [...series.p50, ...series.p99]).filter(present);
  const step = niceStep(Math.max(1, ...values));
  const yMax = step * Math.max(1, Math.ceil(Math.max(1, ...values) / step));
  const columns = Math.max(1, chart.xLabels.length - 1);
  const xOf = (index: number) => PLOT.left + ((PLOT.right - PLOT.left) * index) / columns;
  const yOf = (ms: number) => PLOT.bottom - ((PLOT.bottom - PLOT.top) * ms) / yMax;
  const fmt = (value: number) => value.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="${PLOT.left}" y="44" fill="#555555">${escapeXml(chart.subtitle)}</text>`,
  ];
  for (let tick = 0; tick <= yMax + 1e-9; tick += step) {
    const y = fmt(yOf(tick));
    parts.push(
      `<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="#e3e3e3"/>`,
      `<text x="${PLOT.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml((tick / 1000).toFixed(step < 1000 ? 1 : 0))} s</text>`,
    );
  }
  chart.xLabels.forEach((label, index) => {
    parts.push(
      `<text x="${fmt(xOf(index))}" y="${PLOT.bottom + 20}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 76}" text-anchor="middle">model latency (nominal, ±15 % jitter)</text>`,
    `<text x="16" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(PLOT.top + PLOT.bottom) / 2})">answer delay after the model finished</text>`,
  );

  chart.series.forEach((series, seriesIndex) => {
    for (const [values, dashed] of [
      [series.p99, true],
      [series.p50, false],
    ] as const) {
      for (const run of segments(values.map((value, index) => [index, value] as const))) {
        const points = run.map(([index, value]) => `${fmt(xOf(index))},${fmt(yOf(value))}`).join(" ");
        parts.push(
          `<polyline points="${points}" fill="none" stroke="${series.color}" stroke-width="${dashed ? 1.5 : 2.5}"${dashed ? ' stroke-dasharray="5 4"' : ""}/>`,
        );
        for (const [index, value] of run) {
          parts.push(
            dashed
              ? `<rect x="${fmt(xOf(index) - 2.5)}" y="${fmt(yOf(value) - 2.5)}" width="5" height="5" fill="${series.color}"/>`
              : `<circle cx="${fmt(xOf(index))}" cy="${fmt(yOf(value))}" r="3.5" fill="${series.color}"/>`,
          );
        }
      }
    }
    series.p50.forEach((value, index) => {
      if (present(value)) return;
      // Under the column's label, so it cannot collide with a line.
      const y = PLOT.bottom + 34 + 12 * seriesIndex;
      const name = series.label.split(" (")[0] ?? series.label;
      parts.push(
        `<text x="${fmt(xOf(index))}" y="${y}" text-anchor="middle" fill="${series.color}" font-size="10">${escapeXml(name)}: no answer</text>`,
      );
    });
    const legendY = PLOT.top + 8 + 22 * seriesIndex;
    parts.push(
      `<line x1="${PLOT.right + 24}" y1="${legendY}" x2="${PLOT.right + 48}" y2="${legendY}" stroke="${series.color}" stroke-width="2.5"/>`,
      `<text x="${PLOT.right + 54}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.label)}</text>`,
    );
  });
  const keyY = PLOT.top + 8 + 22 * chart.series.length + 12;
  parts.push(
    `<line x1="${PLOT.right + 24}" y1="${keyY}" x2="${PLOT.right + 48}" y2="${keyY}" stroke="#333333" stroke-width="2.5"/>`,
    `<text x="${PLOT.right + 54}" y="${keyY}" dominant-baseline="middle">p50</text>`,
    `<line x1="${PLOT.right + 24}" y1="${keyY + 20}" x2="${PLOT.right + 48}" y2="${keyY + 20}" stroke="#333333" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    `<text x="${PLOT.right + 54}" y="${keyY + 20}" dominant-baseline="middle">p99</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
