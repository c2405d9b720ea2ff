import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { barChart, contourSpec, heatmap, lineChart, panels } from "../../src/lib/plot/charts.js";
import { renderVegaLite, saveFigure } from "../../src/lib/plot/render.js";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("headless vega-lite rendering", () => {
  it("line chart SVG carries the title, axis titles and legend; PNG is a real image", async () => {
    const spec = lineChart({ data: [1, 2, 4].flatMap((T) => [{ T, v: T, N: "small" }, { T, v: 2 * T, N: "large" }]), x: "T", y: "v", color: "N", title: "Speed-up vs T", xTitle: "time steps T", yTitle: "ratio (×)", rule: 1 });
    const { svg, png } = await renderVegaLite(spec);
    for (const text of ["Speed-up vs T", "time steps T", "ratio (×)", "large", "small"]) expect(svg).toContain(text);
    expect(Array.from(png.subarray(0, 8))).toEqual(PNG_MAGIC);
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(width).toBeGreaterThan(400); // 2× zoom of a ~400 px chart
  });
  it("bar, heatmap panels and contours render", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-plot-"));
    await saveFigure(barChart({ data: [{ layer: "1", rate: 5, net: "MPE" }, { layer: "1", rate: 1, net: "LIF" }], x: "layer", y: "rate", color: "net", title: "rates", xTitle: "layer", yTitle: "rate (%)" }), dir, "bar");
    await saveFigure(panels("maps", [heatmap({ values: [[1, 0], [0, 1]], title: "a", xTitle: "in", yTitle: "out", colorTitle: "reach" })]), dir, "maps");
    const xs = [-1, 0, 1];
    await saveFigure(contourSpec({ z: xs.map((y) => xs.map((x) => x * x + y * y)), xs, ys: xs, levels: [0.5, 1.5], title: "bowl", xTitle: "α", yTitle: "β", colorTitle: "loss" }), dir, "contour");
    expect(readdirSync(dir).sort()).toEqual(["bar.png", "bar.svg", "bar.vl.json", "contour.png", "contour.svg", "contour.vg.json", "maps.png", "maps.svg", "maps.vl.json"]);
    expect(readFileSync(join(dir, "contour.svg"), "utf8")).toContain("bowl");
  });
  it("an invalid spec fails naming the chart", async () => {
    await expect(renderVegaLite({ title: "broken", mark: "nonsense-mark", data: { values: [] } })).rejects.toThrow(/broken/);
    expect(() => contourSpec({ z: [[1]], xs: [0], ys: [0], levels: [1], title: "t", xTitle: "x", yTitle: "y", colorTitle: "c" })).toThrow(/at least 2×2/);
  });
});
