/**
 * Small builders for the charts the kit draws. Every chart has a title, axis titles with units and,
 * where several series share axes, a legend. Specs use the vega-lite **v5** schema because that is
 * the MIME type JupyterLab renders (`application/vnd.vegalite.v5+json`, toolchain §2.2); vega-lite 6
 * compiles them unchanged.
 */
import type { VegaLiteSpec, VegaSpec } from "./render.js";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
export const VEGA_SCHEMA = "https://vega.github.io/schema/vega/v5.json";

type Row = Record<string, unknown>;

export interface LineChartOptions {
  data: Row[];
  x: string;
  y: string;
  /** Field that splits the data into series (drawn with a legend). */
  color?: string;
  /** Field that switches solid/dashed strokes (e.g. "paper" vs "reproduced"). */
  strokeDash?: string;
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  /** Horizontal reference line at this y (e.g. a speed-up ratio of 1). */
  rule?: number;
  points?: boolean;
  width?: number;
  height?: number;
}

export function lineChart(o: LineChartOptions): VegaLiteSpec {
  const enc: Record<string, unknown> = {
    x: { field: o.x, type: "quantitative", title: o.xTitle, ...(o.logX ? { scale: { type: "log", base: 2 } } : {}) },
    y: { field: o.y, type: "quantitative", title: o.yTitle, ...(o.logY ? { scale: { type: "log" } } : {}) },
  };
  if (o.color) enc.color = { field: o.color, type: "nominal", title: o.color };
  if (o.strokeDash) enc.strokeDash = { field: o.strokeDash, type: "nominal", title: o.strokeDash };
  const line = { mark: { type: "line", point: o.points ?? true }, encoding: enc };
  const layers: Row[] = [line];
  if (o.rule !== undefined) {
    layers.push({ mark: { type: "rule", color: "red", strokeDash: [6, 4] }, encoding: { y: { datum: o.rule } } });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 240,
    data: { values: o.data },
    layer: layers,
  };
}

export interface BarChartOptions {
  data: Row[];
  x: string;
  y: string;
  color?: string;
  title: string;
  xTitle: string;
  yTitle: string;
  width?: number;
  height?: number;
}

/** Grouped bars: categories on x, one bar per `color` value (xOffset). */
export function barChart(o: BarChartOptions): VegaLiteSpec {
  const enc: Record<string, unknown> = {
    x: { field: o.x, type: "nominal", title: o.xTitle },
    y: { field: o.y, type: "quantitative", title: o.yTitle },
  };
  if (o.color) {
    enc.color = { field: o.color, type: "nominal", title: o.color };
    enc.xOffset = { field: o.color };
  }
  return { $schema: VEGA_LITE_SCHEMA, title: o.title, width: o.width ?? 360, height: o.height ?? 240, data: { values: o.data }, mark: "bar", encoding: enc };
}

export interface HeatmapOptions {
  /** values[row][col]. */
  values: number[][];
  title: string;
  xTitle: string;
  yTitle: string;
  colorTitle: string;
  /** Labels of columns / rows (default indices). */
  xLabels?: (string | number)[];
  yLabels?: (string | number)[];
  scheme?: string;
  cellSize?: number;
}

export function heatmap(o: HeatmapOptions): VegaLiteSpec {
  const rows: Row[] = [];
  o.values.forEach((r, i) => r.forEach((v, j) => rows.push({ x: o.xLabels?.[j] ?? j, y: o.yLabels?.[i] ?? i, value: v })));
  const cell = o.cellSize ?? 14;
  const nCols = o.values[0]?.length ?? 0;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o.title,
    width: Math.max(120, nCols * cell),
    height: Math.max(120, o.values.length * cell),
    data: { values: rows },
    mark: "rect",
    encoding: {
      x: { field: "x", type: "ordinal", title: o.xTitle, sort: null },
      y: { field: "y", type: "ordinal", title: o.yTitle, sort: null },
      color: { field: "value", type: "quantitative", title: o.colorTitle, scale: { scheme: o.scheme ?? "viridis" } },
    },
  };
}

/** Side-by-side panels (each a vega-lite unit or layer spec without its own $schema). */
export function panels(title: string, specs: VegaLiteSpec[]): VegaLiteSpec {
  return { $schema: VEGA_LITE_SCHEMA, title, hconcat: specs.map(({ $schema: _s, ...rest }) => rest), resolve: { scale: { color: "independent" } } };
}

export interface ContourOptions {
  /** z[iy][ix] on the grid xs × ys (ys ascending, drawn upwards). */
  z: number[][];
  xs: number[];
  ys: number[];
  levels: number[];
  title: string;
  xTitle: string;
  yTitle: string;
  colorTitle: string;
  size?: number;
}

/**
 * Contour lines (plain Vega `isocontour` + `geoshape`; vega-lite has no contour mark, toolchain §3),
 * drawn over the grid in data coordinates with axes for the two directions.
 */
export function contourSpec(o: ContourOptions): VegaSpec {
  const ny = o.z.length, nx = o.z[0]?.length ?? 0;
  if (nx < 2 || ny < 2 || o.xs.length !== nx || o.ys.length !== ny) {
    throw new Error(`contourSpec: z must be [ys.length=${o.ys.length}][xs.length=${o.xs.length}] with at least 2×2 points, got [${ny}][${nx}]`);
  }
  const size = o.size ?? 320;
  const values: number[] = [];
  for (let iy = ny - 1; iy >= 0; iy--) for (let ix = 0; ix < nx; ix++) values.push(o.z[iy]![ix]!); // row 0 at the top
  return {
    $schema: VEGA_SCHEMA,
    title: { text: o.title },
    width: size,
    height: size,
    padding: 8,
    data: [
      { name: "grid", values: [{ width: nx, height: ny, values }] },
      { name: "contours", source: "grid", transform: [{ type: "isocontour", thresholds: o.levels }] },
    ],
    projections: [{ name: "id", type: "identity", scale: size / nx, translate: [0, 0] }],
    scales: [
      { name: "x", type: "linear", domain: [o.xs[0]!, o.xs[nx - 1]!], range: "width", zero: false },
      { name: "y", type: "linear", domain: [o.ys[0]!, o.ys[ny - 1]!], range: "height", zero: false },
      { name: "color", type: "linear", domain: [o.levels[0]!, o.levels[o.levels.length - 1]!], range: { scheme: "viridis" } },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: o.xTitle },
      { orient: "left", scale: "y", title: o.yTitle },
    ],
    legends: [{ fill: "color", title: o.colorTitle, type: "gradient" }],
    marks: [
      { type: "shape", from: { data: "contours" }, encode: { update: { stroke: { scale: "color", field: "contour.value" }, strokeWidth: { value: 1.2 }, fill: { value: null } } }, transform: [{ type: "geoshape", projection: "id", field: "datum.contour" }] },
    ],
  };
}
