/**
 * Headless rendering of vega-lite / vega specs to SVG and PNG, without a browser (toolchain §3):
 * vega-lite → vega → `View({renderer: "none"}).toSVG()` → PNG through resvg (white background, 2×,
 * DejaVu Sans).
 *
 * vega and vega-lite are ESM-only and contain top-level await, so they are imported lazily inside
 * the functions: a static import would make `require()` of the compiled package fail inside tslab
 * (toolchain §2.3, ERR_REQUIRE_ASYNC_MODULE).
 */
import { join } from "node:path";
import { writeFileAtomic } from "../util/fs.js";

export type VegaLiteSpec = Record<string, unknown>;
export type VegaSpec = Record<string, unknown>;

export interface Rendered {
  svg: string;
  png: Uint8Array;
}

async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return r.render().asPng();
}

/** Render a plain Vega spec (used for contours, which vega-lite cannot express). */
export async function renderVega(spec: VegaSpec, scale = 2): Promise<Rendered> {
  const vega = await import("vega");
  const view = new vega.View(vega.parse(spec as never), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return { svg, png: await svgToPng(svg, scale) };
  } finally {
    view.finalize();
  }
}

/** Compile a vega-lite spec and render it. Errors name the chart title. */
export async function renderVegaLite(spec: VegaLiteSpec, scale = 2): Promise<Rendered> {
  const vl = await import("vega-lite");
  let compiled: VegaSpec;
  try {
    compiled = vl.compile(spec as never).spec as VegaSpec;
  } catch (e) {
    throw new Error(`renderVegaLite: cannot compile chart '${chartTitle(spec)}': ${(e as Error).message}`);
  }
  return renderVega(compiled, scale);
}

/** The chart's title text, for messages and alt text. */
export function chartTitle(spec: Record<string, unknown>): string {
  const t = spec.title;
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && "text" in t) {
    const text = (t as { text: unknown }).text;
    return Array.isArray(text) ? text.join(" ") : String(text);
  }
  return "chart";
}

/** Whether a spec is plain Vega (has `marks`/`$schema` of vega) rather than vega-lite. */
export function isVegaSpec(spec: Record<string, unknown>): boolean {
  const schema = typeof spec.$schema === "string" ? spec.$schema : "";
  return schema.includes("/vega/") || (Array.isArray(spec.marks) && !("mark" in spec));
}

/**
 * Write `<base>.svg`, `<base>.png` and the spec (`<base>.vl.json`, or `<base>.vg.json` for plain
 * Vega) into `dir`, atomically. Returns the paths written.
 */
export async function saveFigure(spec: Record<string, unknown>, dir: string, baseName: string): Promise<string[]> {
  const vega = isVegaSpec(spec);
  const { svg, png } = vega ? await renderVega(spec) : await renderVegaLite(spec);
  const paths = [join(dir, `${baseName}.svg`), join(dir, `${baseName}.png`), join(dir, `${baseName}.${vega ? "vg" : "vl"}.json`)];
  await writeFileAtomic(paths[0]!, svg);
  await writeFileAtomic(paths[1]!, png);
  await writeFileAtomic(paths[2]!, JSON.stringify(spec, null, 1));
  return paths;
}
