/**
 * Plotly figures for interactive 3-D views (loss surfaces), written as standalone HTML, plus a static
 * fallback drawn with vega from the same data, because plotly.js cannot render in Node (toolchain §4).
 *
 * Standalone HTML: the page loads `plotly.js` from a copy placed beside it (`plotly.min.js` would need
 * a second package; `plotly.js-dist` ships the unminified bundle, ~10 MB, copied once per folder), so
 * the result opens offline from `file://`.
 */
import { copyFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../util/fs.js";
import { contourSpec, heatmap, lineChart } from "./charts.js";
import type { VegaLiteSpec, VegaSpec } from "./render.js";

export interface PlotlyTrace {
  type: string;
  x?: number[] | string[];
  y?: number[] | string[];
  z?: number[][];
  mode?: string;
  name?: string;
  [k: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: { title?: string | { text?: string }; [k: string]: unknown };
}

function axisTitle(layout: PlotlyFigure["layout"], axis: "xaxis" | "yaxis" | "zaxis"): string {
  const scene = (layout?.scene ?? {}) as Record<string, { title?: string | { text?: string } }>;
  const a = (layout?.[axis] as { title?: string | { text?: string } } | undefined) ?? scene[axis];
  const t = a?.title;
  return typeof t === "string" ? t : t?.text ?? axis[0]!;
}

/**
 * A vega(-lite) equivalent of the figure for static output: z-grids (surface, contour, heatmap) become
 * contours or a heatmap, scatter/line traces a line chart. Null when no equivalent exists.
 */
export function plotlyFallbackSpec(fig: PlotlyFigure): { spec: VegaLiteSpec | VegaSpec; vega: boolean } | null {
  const t = fig.data[0];
  if (!t) return null;
  const title = (typeof fig.layout?.title === "string" ? fig.layout.title : fig.layout?.title?.text) ?? "figure";
  if (t.z && (t.type === "surface" || t.type === "contour")) {
    const z = t.z;
    const xs = (t.x as number[] | undefined) ?? z[0]!.map((_, i) => i);
    const ys = (t.y as number[] | undefined) ?? z.map((_, i) => i);
    const flat = z.flat().filter(Number.isFinite);
    const lo = Math.min(...flat), hi = Math.max(...flat);
    const levels = Array.from({ length: 12 }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / 12);
    return { spec: contourSpec({ z, xs, ys, levels, title: `${title} (static contour view)`, xTitle: axisTitle(fig.layout, "xaxis"), yTitle: axisTitle(fig.layout, "yaxis"), colorTitle: axisTitle(fig.layout, "zaxis") }), vega: true };
  }
  if (t.z && t.type === "heatmap") {
    return { spec: heatmap({ values: t.z, title, xTitle: axisTitle(fig.layout, "xaxis"), yTitle: axisTitle(fig.layout, "yaxis"), colorTitle: "value" }), vega: false };
  }
  if ((t.type === "scatter" || t.type === "scattergl") && t.x && t.y) {
    const data = fig.data.flatMap((tr, k) => (tr.x as number[]).map((x, i) => ({ x, y: (tr.y as number[])[i], series: tr.name ?? `trace ${k}` })));
    return { spec: lineChart({ data, x: "x", y: "y", color: "series", title, xTitle: axisTitle(fig.layout, "xaxis"), yTitle: axisTitle(fig.layout, "yaxis") }), vega: false };
  }
  return null;
}

/** Write a standalone HTML page for the figure, with plotly.js copied beside it. */
export async function savePlotlyHtml(fig: PlotlyFigure, path: string): Promise<string> {
  const dir = dirname(path);
  const lib = join(dir, "plotly.js");
  const src = createRequire(import.meta.url).resolve("plotly.js-dist/plotly.js");
  const have = await stat(lib).then((s) => s.size, () => -1);
  if (have !== (await stat(src)).size) {
    await writeFileAtomic(lib, ""); // ensure the folder exists
    await copyFile(src, lib);
  }
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${basename(path)}</title><script src="plotly.js"></script></head>
<body><div id="plot" style="width:900px;height:700px"></div>
<script>Plotly.newPlot("plot", ${JSON.stringify(fig.data)}, ${JSON.stringify(fig.layout ?? {})});</script>
</body></html>
`;
  await writeFileAtomic(path, html);
  return path;
}
