import { describe, expect, it } from "vitest";
import { lineChart } from "../../src/lib/plot/charts.js";
import { inNotebook, markdownTable, showPlotly, showVegaLite, type DisplayBundle } from "../../src/lib/plot/display.js";
import { plotlyFallbackSpec } from "../../src/lib/plot/plotly.js";

const spec = lineChart({ data: [{ x: 1, y: 2 }, { x: 2, y: 3 }], x: "x", y: "y", title: "tiny", xTitle: "x (s)", yTitle: "y (m)" });

describe("tslab display helpers", () => {
  it("are harmless outside a kernel", async () => {
    expect(inNotebook()).toBe(false);
    expect(await showVegaLite(spec)).toBe(false);
  });
  it("emit one bundle with vega-lite v5 JSON, a PNG fallback and text", async () => {
    const sent: DisplayBundle[] = [];
    expect(await showVegaLite(spec, (b) => sent.push(b))).toBe(true);
    expect(sent).toHaveLength(1);
    const d = sent[0]!.data;
    expect(d["application/vnd.vegalite.v5+json"]).toBe(spec);
    expect(Buffer.from(d["image/png"] as string, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(d["text/plain"]).toContain("tiny");
  });
  it("plotly surfaces get a plotly bundle with a static contour fallback", async () => {
    const z = [[1, 2, 3], [2, 3, 4], [3, 4, 5]];
    const fig = { data: [{ type: "surface", z, x: [0, 1, 2], y: [0, 1, 2] }], layout: { title: "surface" } };
    expect(plotlyFallbackSpec(fig)?.vega).toBe(true);
    const sent: DisplayBundle[] = [];
    await showPlotly(fig, (b) => sent.push(b));
    expect(sent[0]!.data["application/vnd.plotly.v1+json"]).toEqual({ data: fig.data, layout: fig.layout });
    expect(sent[0]!.data["image/png"]).toBeTypeOf("string");
  });
  it("markdown tables escape pipes and format numbers", () => {
    expect(markdownTable([{ a: 1, b: "x|y" }, { a: 0.123456789, b: "z" }])).toBe("| a | b |\n|---|---|\n| 1 | x\\|y |\n| 0.12346 | z |");
  });
});
