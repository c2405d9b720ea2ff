/**
 * Legibility of a figure spec, checked without rendering: `figureProblems(spec)` lists what would make a
 * reader see a broken plot (a single point where a curve should be, an empty layer, a flat heatmap, an
 * untitled axis, no caption saying at which scale it ran); `captionFigure` adds that caption and lets legend
 * labels run to their full length. The runner applies both to every figure of every run.
 *
 * Rules (vega-lite; composite views — layer, hconcat, vconcat, concat, facet — are walked, data inherited):
 * - the figure has a title, and a subtitle line naming the scale (`captionFigure`);
 * - every view drawing data has at least one row, and every field it encodes is present in some row;
 * - line / area / trail views: every series (rows sharing the color, strokeDash, detail, shape and facet
 *   values) has more than one distinct x value — one x value draws a lone point, not a curve;
 * - point views: more than one distinct x or y value;
 * - bar views: at least two bars and at least one of non-zero height;
 * - rect views (heatmaps): more than one cell and more than one distinct colour value;
 * - quantitative x / y fields hold at least one finite number, and every x / y field has an axis title.
 * Plain Vega (the contour plots): every inline dataset is non-empty, every mark's data source exists, the
 * isocontour grid holds finite values with more than one distinct value, a mark other than the isolines
 * draws the grid (heatmap under the isolines), and every axis has a title.
 * Reference marks (a `rule` or `text` at a `datum`) carry no data and are not checked.
 */
type Json = Record<string, unknown>;
type Row = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The title text and subtitle lines of a spec (either may be empty). */
export function titleParts(spec: Json): { text: string; subtitle: string[] } {
  const t = spec.title;
  if (typeof t === "string") return { text: t, subtitle: [] };
  if (Array.isArray(t)) return { text: t.join(" "), subtitle: [] };
  if (!isObj(t)) return { text: "", subtitle: [] };
  const text = Array.isArray(t.text) ? t.text.join(" ") : typeof t.text === "string" ? t.text : "";
  const sub = t.subtitle;
  return { text, subtitle: Array.isArray(sub) ? sub.map(String) : typeof sub === "string" ? [sub] : [] };
}

/**
 * A copy of `spec` whose title carries `caption` as its last subtitle line (replacing an earlier caption of
 * the same prefix, so captioning twice is harmless) and whose legend labels are not truncated.
 */
export function captionFigure(spec: Json, caption: string): Json {
  const { text, subtitle } = titleParts(spec);
  const prefix = caption.split(" ")[0]!;
  const kept = subtitle.filter((l) => !l.startsWith(prefix));
  const oldTitle = isObj(spec.title) ? spec.title : {};
  const config = isObj(spec.config) ? spec.config : {};
  const legend = isObj(config.legend) ? config.legend : {};
  return {
    ...spec,
    title: { ...oldTitle, text, subtitle: [...kept, caption] },
    // Vega's default labelLimit (160 px) cuts series names such as "distance, with L_mem (λ = 0.001)".
    config: { ...config, legend: { labelLimit: 400, ...legend } },
  };
}

/** Every problem found, each naming the view (by its title, or its path in the spec) and what is wrong. */
export function figureProblems(spec: Json, opts: { captionPrefix?: string } = {}): string[] {
  const problems: string[] = [];
  const { text, subtitle } = titleParts(spec);
  if (!text.trim()) problems.push("figure: no title");
  const prefix = opts.captionPrefix ?? "Scale";
  if (!subtitle.some((l) => l.startsWith(prefix))) problems.push(`figure: no caption line starting '${prefix}' (the scale it ran at)`);
  if (isVega(spec)) checkVega(spec, problems);
  else checkView(spec, [], [], "figure", problems);
  return problems;
}

function isVega(spec: Json): boolean {
  const schema = typeof spec.$schema === "string" ? spec.$schema : "";
  return schema.includes("/vega/") || (Array.isArray(spec.marks) && !("mark" in spec));
}

function viewName(view: Json, path: string): string {
  const t = titleParts(view).text;
  return t ? `'${t}'` : path;
}

/** Walk a vega-lite view; `rows` = the data inherited from the parent, `groupBy` = facet fields above. */
function checkView(view: Json, rows: Row[], groupBy: string[], path: string, problems: string[]): void {
  const data = isObj(view.data) ? view.data : null;
  const here = data && Array.isArray(data.values) ? (data.values as Row[]) : rows;
  const name = viewName(view, path);
  if (data && Array.isArray(data.values) && data.values.length === 0) problems.push(`${name}: empty data`);
  for (const key of ["layer", "hconcat", "vconcat", "concat"] as const) {
    const children = view[key];
    if (Array.isArray(children)) children.forEach((c, i) => isObj(c) && checkView(c, here, groupBy, `${name}.${key}[${i}]`, problems));
  }
  if (isObj(view.spec)) {
    const facet = isObj(view.facet) ? view.facet : null;
    const facetFields = facet ? [facet.field, isObj(facet.row) ? facet.row.field : undefined, isObj(facet.column) ? facet.column.field : undefined].filter((f): f is string => typeof f === "string") : [];
    checkView(view.spec, here, [...groupBy, ...facetFields], `${name}.spec`, problems);
  }
  if (view.mark !== undefined) checkUnit(view, here, groupBy, name, problems);
}

function markType(mark: unknown): string {
  return typeof mark === "string" ? mark : isObj(mark) && typeof mark.type === "string" ? mark.type : "";
}

const SERIES_CHANNELS = ["color", "strokeDash", "detail", "shape", "row", "column", "facet"];

function checkUnit(view: Json, rows: Row[], groupBy: string[], name: string, problems: string[]): void {
  const type = markType(view.mark);
  const enc = isObj(view.encoding) ? view.encoding : {};
  const channels = Object.entries(enc).filter(([, c]) => isObj(c)) as [string, Json][];
  const fielded = channels.filter(([, c]) => typeof c.field === "string");
  if (fielded.length === 0) return; // a reference mark (rule/text at a datum) draws no data
  const mark = `${name} (${type} mark)`;
  if (rows.length === 0) {
    problems.push(`${mark}: no data rows`);
    return;
  }
  for (const [ch, c] of fielded) {
    const f = c.field as string;
    const present = rows.filter((r) => r[f] !== undefined && r[f] !== null);
    if (present.length === 0) problems.push(`${mark}: field '${f}' (${ch}) is absent from every row`);
    else if (c.type === "quantitative" && !present.some((r) => Number.isFinite(r[f]))) problems.push(`${mark}: field '${f}' (${ch}) has no finite value`);
    if ((ch === "x" || ch === "y") && !axisTitle(c)) problems.push(`${mark}: the ${ch} axis ('${f}') has no title`);
  }
  const x = fieldOf(enc.x), y = fieldOf(enc.y);
  const distinct = (f: string | null, rs: Row[]) => (f ? new Set(rs.map((r) => JSON.stringify(r[f] ?? null))).size : 0);
  const seriesFields = [...groupBy, ...SERIES_CHANNELS.map((ch) => fieldOf(enc[ch])).filter((f): f is string => f !== null)];
  if (type === "line" || type === "area" || type === "trail") {
    for (const [key, rs] of groupRows(rows, seriesFields)) {
      if (distinct(x, rs) < 2) problems.push(`${mark}: series ${key || "(all rows)"} has ${distinct(x, rs)} distinct '${x}' value(s): a lone point, not a curve`);
    }
  } else if (type === "point" || type === "circle" || type === "square") {
    if (distinct(x, rows) < 2 && distinct(y, rows) < 2) problems.push(`${mark}: every point sits at the same place`);
  } else if (type === "bar") {
    const bars = groupRows(rows, [x, y && enc.y && (enc.y as Json).type !== "quantitative" ? y : null, ...seriesFields].filter((f): f is string => !!f)).size;
    if (bars < 2) problems.push(`${mark}: ${bars} bar(s); a bar chart needs at least two`);
    const height = isObj(enc.y) && enc.y.type === "quantitative" ? y : x;
    if (height && !rows.some((r) => Number.isFinite(r[height]) && r[height] !== 0)) problems.push(`${mark}: every bar has zero or no height`);
  } else if (type === "rect") {
    const color = fieldOf(enc.color);
    if (rows.length < 2) problems.push(`${mark}: a single cell`);
    if (color && distinct(color, rows) < 2) problems.push(`${mark}: every cell has the same '${color}' value (a flat heatmap)`);
  }
}

function fieldOf(c: unknown): string | null {
  return isObj(c) && typeof c.field === "string" ? c.field : null;
}

function axisTitle(c: Json): boolean {
  const axis = isObj(c.axis) ? c.axis : null;
  const t = axis && "title" in axis ? axis.title : c.title;
  return typeof t === "string" ? t.trim().length > 0 : Array.isArray(t) && t.length > 0;
}

function groupRows(rows: Row[], fields: string[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = fields.map((f) => `${f}=${String(r[f])}`).join(", ");
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return groups;
}

function checkVega(spec: Json, problems: string[]): void {
  const data = (Array.isArray(spec.data) ? spec.data : []).filter(isObj);
  const names = new Set(data.map((d) => d.name));
  for (const d of data) {
    if (Array.isArray(d.values) && d.values.length === 0) problems.push(`data '${String(d.name)}': empty`);
    const contour = Array.isArray(d.transform) && d.transform.some((t) => isObj(t) && t.type === "isocontour");
    if (contour) checkContourGrid(spec, data.find((g) => g.name === d.source), String(d.name), problems);
  }
  const marks = (Array.isArray(spec.marks) ? spec.marks : []).filter(isObj);
  if (marks.length === 0) problems.push("figure: no marks");
  for (const [i, m] of marks.entries()) {
    const from = isObj(m.from) ? m.from.data : undefined;
    if (typeof from === "string" && !names.has(from)) problems.push(`mark ${i} (${String(m.type)}): data '${from}' does not exist`);
  }
  for (const a of (Array.isArray(spec.axes) ? spec.axes : []).filter(isObj)) {
    if (typeof a.title !== "string" || !a.title.trim()) problems.push(`the ${String(a.orient)} axis has no title`);
  }
}

/** The isocontour's grid: finite, not flat, and drawn by a mark of its own (a heatmap under the isolines). */
function checkContourGrid(spec: Json, grid: Json | undefined, contours: string, problems: string[]): void {
  const g = grid && Array.isArray(grid.values) && isObj(grid.values[0]) ? grid.values[0] : null;
  const values = g && Array.isArray(g.values) ? (g.values as unknown[]) : [];
  if (values.length === 0) {
    problems.push(`isocontour '${contours}': no grid values`);
    return;
  }
  if (!values.every((v) => Number.isFinite(v))) problems.push(`isocontour '${contours}': the grid holds non-finite values`);
  if (new Set(values).size < 2) problems.push(`isocontour '${contours}': the grid is flat (one distinct value)`);
  const marks = (Array.isArray(spec.marks) ? spec.marks : []).filter(isObj);
  const underlay = marks.some((m) => isObj(m.from) && typeof m.from.data === "string" && m.from.data !== contours);
  if (!underlay) problems.push(`isocontour '${contours}': isolines only, no heatmap of the grid under them`);
}
