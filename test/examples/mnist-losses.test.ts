import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareLossesOnMnist } from "../../src/lib/examples/mnist-losses.js";

describe("SDT, TET, TET-S and LTS train a spiking MLP on MNIST digits (T = 4)", () => {
  it("each loss learns far above chance with its own prediction rule, logging JSONL", async () => {
    const out = mkdtempSync(join(tmpdir(), "sl-mnist-"));
    const runs = await compareLossesOnMnist({ epochs: 2, trainSamples: 1000, testSamples: 300, hidden: 64, outDir: out });
    expect(runs.map((r) => r.loss)).toEqual(["sdt", "tet", "tet-s", "lts"]);
    for (const r of runs) {
      expect(r.initialTestAcc, r.loss).toBeLessThan(0.3);
      expect(r.finalTestAcc, r.loss).toBeGreaterThan(0.65);
      expect(readFileSync(join(out, r.loss, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
    }
  });
});
