/**
 * Display helpers for tslab notebooks (toolchain §2.1–2.2).
 *
 * Each helper emits ONE `display_data` message carrying several MIME types, through the kernel's own
 * writer (`require("tslab/dist/jupyter").lastWriteDisplayData`, an internal API of tslab 1.0.22):
 * - vega-lite: `application/vnd.vegalite.v5+json` (JupyterLab renders it natively) + `image/png`
 *   (GitHub / nbviewer fallback) + `text/plain`;
 * - plotly: `application/vnd.plotly.v1+json` (needs the jupyterlab-plotly extension; VS Code renders it)
 *   + `image/png` drawn by vega from the same data (Plotly cannot render in Node, toolchain §4) +
 *   `text/plain`.
 * Outside a kernel (tsx, vitest) nothing is displayed and the helpers return false.
 */
import { createRequire } from "node:module";
import { chartTitle, isVegaSpec, renderVega, renderVegaLite, type VegaLiteSpec, type VegaSpec } from "./render.js";
import { plotlyFallbackSpec, type PlotlyFigure } from "./plotly.js";

export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

export type DisplayWriter = (bundle: DisplayBundle, update: boolean) => void;

/** The running tslab kernel's display writer, or null outside a kernel. */
export function notebookWriter(): DisplayWriter | null {
  try {
    const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as { lastWriteDisplayData?: DisplayWriter | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

export function inNotebook(): boolean {
  return notebookWriter() !== null;
}

const b64 = (u8: Uint8Array) => Buffer.from(u8).toString("base64");

/** Emit a MIME bundle; returns false when there is no kernel to show it. */
export function showBundle(data: Record<string, unknown>, writer: DisplayWriter | null = notebookWriter()): boolean {
  if (!writer) return false;
  writer({ data, metadata: {}, transient: {} }, false);
  return true;
}

/** Show a vega-lite chart (interactive in JupyterLab, PNG elsewhere). */
export async function showVegaLite(spec: VegaLiteSpec, writer: DisplayWriter | null = notebookWriter()): Promise<boolean> {
  if (!writer) return false;
  const { png } = await renderVegaLite(spec);
  return showBundle({ "application/vnd.vegalite.v5+json": spec, "image/png": b64(png), "text/plain": `<vega-lite chart: ${chartTitle(spec)}>` }, writer);
}

/** Show a full vega spec (e.g. contour plots) as vega JSON + PNG. */
export async function showVega(spec: VegaSpec, writer: DisplayWriter | null = notebookWriter()): Promise<boolean> {
  if (!writer) return false;
  const { png } = await renderVega(spec);
  return showBundle({ "application/vnd.vega.v5+json": spec, "image/png": b64(png), "text/plain": `<vega chart: ${chartTitle(spec)}>` }, writer);
}

/** Show a vega-lite or vega spec, whichever it is. */
export async function showSpec(spec: Record<string, unknown>, writer: DisplayWriter | null = notebookWriter()): Promise<boolean> {
  return isVegaSpec(spec) ? showVega(spec, writer) : showVegaLite(spec, writer);
}

/** Show a plotly figure with a static PNG fallback rendered by vega from the same data. */
export async function showPlotly(fig: PlotlyFigure, writer: DisplayWriter | null = notebookWriter()): Promise<boolean> {
  if (!writer) return false;
  const fallback = plotlyFallbackSpec(fig);
  const png = fallback ? (await (fallback.vega ? renderVega(fallback.spec) : renderVegaLite(fallback.spec))).png : null;
  const title = typeof fig.layout?.title === "string" ? fig.layout.title : (fig.layout?.title as { text?: string } | undefined)?.text ?? "figure";
  return showBundle({
    "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout ?? {} },
    ...(png ? { "image/png": b64(png) } : {}),
    "text/plain": `<plotly figure: ${title}>`,
  }, writer);
}

export function showMarkdown(md: string, writer: DisplayWriter | null = notebookWriter()): boolean {
  return showBundle({ "text/markdown": md, "text/plain": md }, writer);
}

/** A markdown table of rows (columns = keys of the first row). */
export function markdownTable(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "_(no rows)_";
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(5)) : String(v ?? "")).replace(/\|/g, "\\|");
  return [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`)].join("\n");
}

export function showTable(rows: Record<string, unknown>[], writer: DisplayWriter | null = notebookWriter()): boolean {
  return showMarkdown(markdownTable(rows), writer);
}
