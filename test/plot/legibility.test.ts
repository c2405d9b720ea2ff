import { describe, expect, it } from "vitest";
import { barChart, contourSpec, heatmap, lineChart, panels, VEGA_SCHEMA } from "../../src/lib/plot/charts.js";
import { captionFigure, figureProblems, titleParts } from "../../src/lib/plot/legibility.js";
import { renderVega } from "../../src/lib/plot/render.js";

const CAPTION = "Scale: smoke — reduced-scale run: trained numbers shown, not judged";
const epochs = (n: number, curves: string[]) => curves.flatMap((c) => Array.from({ length: n }, (_, e) => ({ epoch: e + 1, value: (e + 1) * c.length, curve: c })));
const curveChart = (n: number) => lineChart({ data: epochs(n, ["test accuracy", "train loss"]), x: "epoch", y: "value", color: "curve", title: "curves", xTitle: "epoch", yTitle: "value" });
const bowl = (n: number, f: (x: number, y: number) => number) => {
  const xs = Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
  return contourSpec({ z: xs.map((y) => xs.map((x) => f(x, y))), xs, ys: xs, levels: [0.1, 0.6, 1.1, 1.6, 2.1, 2.6], title: "landscape", xTitle: "α", yTitle: "β", colorTitle: "loss" });
};

describe("figureProblems: legible figures pass", () => {
  it("line, bar, heatmap panels and contours the kit draws, once captioned", () => {
    const specs = [
      curveChart(3),
      barChart({ data: [{ layer: "1", rate: 5, net: "MPE" }, { layer: "1", rate: 0, net: "LIF" }], x: "layer", y: "rate", color: "net", title: "rates", xTitle: "layer", yTitle: "rate (%)" }),
      panels("maps", [heatmap({ values: [[1, 0], [0, 1]], title: "a", xTitle: "in", yTitle: "out", colorTitle: "reach" })]),
      bowl(9, (x, y) => 2.3 + 0.05 * (x * x + y * y)),
    ];
    for (const s of specs) expect(figureProblems(captionFigure(s, CAPTION)), titleParts(s).text).toEqual([]);
  });
  it("a constant curve is legible as long as it has several x values (accuracy at chance)", () => {
    const flat = lineChart({ data: [1, 2, 3].map((epoch) => ({ epoch, acc: 9.09, split: "test" })), x: "epoch", y: "acc", color: "split", title: "t", xTitle: "epoch", yTitle: "accuracy (%)" });
    expect(figureProblems(captionFigure(flat, CAPTION))).toEqual([]);
  });
});

describe("figureProblems: degenerate figures fail, naming the view and the fault", () => {
  it("a curve with a single epoch is a lone point (the smoke Fig. 3a / 4c before issue #15)", () => {
    const p = figureProblems(captionFigure(curveChart(1), CAPTION));
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/'curves'.*line mark.*series curve=test accuracy has 1 distinct 'epoch' value\(s\): a lone point/);
  });
  it("no caption, no title, untitled axes", () => {
    expect(figureProblems(curveChart(3))).toEqual(["figure: no caption line starting 'Scale' (the scale it ran at)"]);
    const bare = { mark: "line", data: { values: epochs(3, ["a"]) }, encoding: { x: { field: "epoch", type: "quantitative" }, y: { field: "value", type: "quantitative", title: "" } } };
    expect(figureProblems(captionFigure(bare, CAPTION))).toEqual([
      "figure: no title",
      "figure (line mark): the x axis ('epoch') has no title",
      "figure (line mark): the y axis ('value') has no title",
    ]);
  });
  it("empty data, absent or non-finite fields", () => {
    const empty = lineChart({ data: [], x: "epoch", y: "value", title: "empty", xTitle: "epoch", yTitle: "v" });
    expect(figureProblems(captionFigure(empty, CAPTION))).toEqual(["'empty': empty data", "'empty'.layer[0] (line mark): no data rows"]);
    const absent = lineChart({ data: [1, 2].map((T) => ({ T, speed: null as number | null })), x: "T", y: "speed", title: "s", xTitle: "T", yTitle: "speed" });
    expect(figureProblems(captionFigure(absent, CAPTION))).toEqual(["'s'.layer[0] (line mark): field 'speed' (y) is absent from every row"]);
    const nan = lineChart({ data: [1, 2].map((T) => ({ T, speed: NaN })), x: "T", y: "speed", title: "s", xTitle: "T", yTitle: "speed" });
    expect(figureProblems(captionFigure(nan, CAPTION))).toEqual(["'s'.layer[0] (line mark): field 'speed' (y) has no finite value"]);
  });
  it("a single bar, bars of zero height, a single-cell or flat heatmap", () => {
    const one = barChart({ data: [{ k: "a", v: 3 }], x: "k", y: "v", title: "one", xTitle: "k", yTitle: "v" });
    expect(figureProblems(captionFigure(one, CAPTION))).toEqual(["'one' (bar mark): 1 bar(s); a bar chart needs at least two"]);
    const zero = barChart({ data: [{ k: "a", v: 0 }, { k: "b", v: 0 }], x: "k", y: "v", title: "zero", xTitle: "k", yTitle: "v" });
    expect(figureProblems(captionFigure(zero, CAPTION))).toEqual(["'zero' (bar mark): every bar has zero or no height"]);
    const flat = heatmap({ values: [[1, 1], [1, 1]], title: "flat", xTitle: "x", yTitle: "y", colorTitle: "c" });
    expect(figureProblems(captionFigure(flat, CAPTION))).toEqual(["'flat' (rect mark): every cell has the same 'value' value (a flat heatmap)"]);
  });
  it("facets: every panel's series is checked on its own", () => {
    const spec = {
      title: "facets", data: { values: [{ T: 1, step: 0, v: 1, loss: "SDT" }, { T: 4, step: 0, v: 1, loss: "SDT" }, { T: 4, step: 1, v: 0.5, loss: "SDT" }] },
      facet: { field: "T", type: "ordinal" }, spec: { mark: "line", encoding: { x: { field: "step", type: "quantitative", title: "step" }, y: { field: "v", type: "quantitative", title: "loss" }, color: { field: "loss", type: "nominal" } } },
    };
    expect(figureProblems(captionFigure(spec, CAPTION))).toEqual(["'facets'.spec (line mark): series T=1, loss=SDT has 1 distinct 'step' value(s): a lone point, not a curve"]);
  });
  it("contours: isolines alone (the smoke Fig. 4 octagon before issue #15), a flat or non-finite grid", () => {
    const legible = bowl(5, (x, y) => x * x + y * y);
    const isolinesOnly = { ...legible, marks: (legible.marks as Record<string, unknown>[]).filter((m) => m.type === "shape") };
    expect(figureProblems(captionFigure(isolinesOnly, CAPTION))).toEqual(["isocontour 'contours': isolines only, no heatmap of the grid under them"]);
    expect(figureProblems(captionFigure(bowl(5, () => 2.3), CAPTION))).toEqual(["isocontour 'contours': the grid is flat (one distinct value)"]);
    expect(figureProblems(captionFigure(bowl(5, (x) => (x > 1 ? NaN : x)), CAPTION))).toEqual(["isocontour 'contours': the grid holds non-finite values"]);
    const noAxisTitle = { $schema: VEGA_SCHEMA, title: "v", data: [], marks: [], axes: [{ orient: "left", scale: "y" }] };
    expect(figureProblems(captionFigure(noAxisTitle, CAPTION))).toEqual(["figure: no marks", "the left axis has no title"]);
  });
});

describe("captionFigure and the contour heatmap", () => {
  it("appends the caption once, keeps other subtitle lines, lifts the legend label limit", () => {
    const c = captionFigure(captionFigure(bowl(5, (x, y) => x + y), "Scale: small"), CAPTION);
    const { subtitle } = titleParts(c);
    expect(subtitle[subtitle.length - 1]).toBe(CAPTION);
    expect(subtitle.filter((l) => l.startsWith("Scale"))).toHaveLength(1);
    expect(subtitle[0]).toMatch(/^cells: loss/);
    expect((c.config as { legend: { labelLimit: number } }).legend.labelLimit).toBeGreaterThan(160);
  });
  it("a flat-ish landscape (the smoke one: every value between two levels) still draws one cell per grid point, in several colours", async () => {
    const spec = bowl(9, (x, y) => 2.25 + 0.04 * (x * x + y * y));
    expect(titleParts(spec).subtitle[0]).toContain("0 inside this range");
    const { svg } = await renderVega(spec);
    const fills = new Set([...svg.matchAll(/fill="(rgb\([^)]*\))"/g)].map((m) => m[1]));
    expect(fills.size).toBeGreaterThan(10);
  });
  it("rejects a non-uniform grid, naming the axis", () => {
    expect(() => contourSpec({ z: [[1, 2, 3], [1, 2, 3]], xs: [0, 1, 3], ys: [0, 1], levels: [1], title: "t", xTitle: "x", yTitle: "y", colorTitle: "c" })).toThrow(/xs must be ascending and uniformly spaced/);
  });
});
