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
  // Integer x (epochs, time steps T, orders k): ticks at integers only, no "1.4 epochs".
  const integerX = o.data.length > 0 && o.data.every((r) => Number.isInteger(r[o.x]));
  const enc: Record<string, unknown> = {
    x: { field: o.x, type: "quantitative", title: o.xTitle, ...(o.logX ? { scale: { type: "log", base: 2 } } : {}), ...(integerX ? { axis: { tickMinStep: 1, format: "d" } } : {}) },
    y: { field: o.y, type: "quantitative", title: o.yTitle, ...(o.logY ? { scale: { type: "log" } } : {}) },
  };
  if (o.color) enc.color = { field: o.color, type: "nominal", title: o.color };
  // A stroke symbol in the dash legend: with point markers vega-lite would draw both dash styles as the same dot.
  if (o.strokeDash) enc.strokeDash = { field: o.strokeDash, type: "nominal", title: o.strokeDash, legend: { symbolType: "stroke", symbolSize: 300, encode: { symbols: { update: { stroke: { value: "#444" }, strokeWidth: { value: 2 }, fill: { value: "transparent" } } } } } };
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
 * Contour plot (plain Vega; vega-lite has no contour mark, toolchain §3): the grid as a heatmap, its cells
 * centred on the grid points, under isolines (`isocontour` + `geoshape`) at those of `levels` that fall
 * inside the grid's range — a level outside it draws nothing or a frame around the whole grid, so a flat
 * landscape still shows its variation in the cells. The grid must be uniform in each direction.
 */
export function contourSpec(o: ContourOptions): VegaSpec {
  const ny = o.z.length, nx = o.z[0]?.length ?? 0;
  if (nx < 2 || ny < 2 || o.xs.length !== nx || o.ys.length !== ny || o.z.some((r) => r.length !== nx)) {
    throw new Error(`contourSpec: z must be [ys.length=${o.ys.length}][xs.length=${o.xs.length}] with at least 2×2 points, got [${ny}][${nx}]`);
  }
  const step = (vs: number[], axis: string) => {
    const d = (vs[vs.length - 1]! - vs[0]!) / (vs.length - 1);
    if (!(d > 0) || vs.some((v, i) => Math.abs(v - (vs[0]! + i * d)) > 1e-9 * Math.max(1, Math.abs(v)))) throw new Error(`contourSpec: ${axis} must be ascending and uniformly spaced, got [${vs.join(", ")}]`);
    return d;
  };
  const dx = step(o.xs, "xs"), dy = step(o.ys, "ys");
  const size = o.size ?? 320;
  const values: number[] = [];
  for (let iy = ny - 1; iy >= 0; iy--) for (let ix = 0; ix < nx; ix++) values.push(o.z[iy]![ix]!); // row 0 at the top
  const cells = o.z.flatMap((row, iy) => row.map((z, ix) => ({ x0: o.xs[ix]! - dx / 2, x1: o.xs[ix]! + dx / 2, y0: o.ys[iy]! - dy / 2, y1: o.ys[iy]! + dy / 2, z })));
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const inside = o.levels.filter((l) => l > lo && l < hi);
  const fmt = (v: number) => String(+v.toPrecision(3));
  const levelsText = o.levels.length > 4 ? `${o.levels.slice(0, 2).map(fmt).join(", ")}, …, ${fmt(o.levels[o.levels.length - 1]!)}` : o.levels.map(fmt).join(", ");
  return {
    $schema: VEGA_SCHEMA,
    title: { text: o.title, subtitle: [`cells: ${o.colorTitle} (${fmt(lo)} to ${fmt(hi)}); white isolines at levels ${levelsText}: ${inside.length} inside this range`] },
    width: size,
    height: size,
    padding: 8,
    data: [
      { name: "grid", values: [{ width: nx, height: ny, values }] },
      { name: "cells", values: cells },
      { name: "contours", source: "grid", transform: [{ type: "isocontour", thresholds: inside }] },
    ],
    // Grid point i sits at the centre of cell i, at (i + ½)·size/n pixels, for the cells and the isolines alike.
    projections: [{ name: "id", type: "identity", scale: size / nx, translate: [0, 0] }],
    scales: [
      { name: "x", type: "linear", domain: [o.xs[0]! - dx / 2, o.xs[nx - 1]! + dx / 2], range: "width", zero: false, nice: false },
      { name: "y", type: "linear", domain: [o.ys[0]! - dy / 2, o.ys[ny - 1]! + dy / 2], range: "height", zero: false, nice: false },
      { name: "color", type: "linear", domain: { data: "cells", field: "z" }, range: { scheme: "viridis" }, zero: false, nice: false },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: o.xTitle },
      { orient: "left", scale: "y", title: o.yTitle },
    ],
    legends: [{ fill: "color", title: o.colorTitle, type: "gradient" }],
    marks: [
      { type: "rect", from: { data: "cells" }, encode: { update: { x: { scale: "x", field: "x0" }, x2: { scale: "x", field: "x1" }, y: { scale: "y", field: "y0" }, y2: { scale: "y", field: "y1" }, fill: { scale: "color", field: "z" }, stroke: { scale: "color", field: "z" }, strokeWidth: { value: 0.5 } } } }, // stroke: no seams between cells
      { type: "shape", from: { data: "contours" }, encode: { update: { stroke: { value: "white" }, strokeWidth: { value: 1.5 }, fill: { value: null } } }, transform: [{ type: "geoshape", projection: "id", field: "datum.contour" }] },
    ],
  };
}
