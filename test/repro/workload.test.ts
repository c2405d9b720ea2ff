import { describe, expect, it } from "vitest";
import { runSeconds, runSteps, scaledStepSeconds, validateWorkload, workloadNetworks, type WorkloadNetwork, type WorkloadRun } from "../../src/lib/repro/workload.js";

const net = (key: string, inputShape: number[], measureT?: number): WorkloadNetwork => ({ key, inputShape, numClasses: 10, build: () => { throw new Error("not built in this test"); }, ...(measureT ? { measureT } : {}) });

describe("paper workload arithmetic", () => {
  it("counts ⌈samples / batch⌉ steps per epoch, evaluation passes per epoch by default, once when asked", () => {
    const r: WorkloadRun = { label: "a", network: net("n", [4, 32, 2, 48, 48]), epochs: 10, trainSamples: 1000, testSamples: 100 };
    // ⌈1000 / 32⌉ = 32 steps per epoch; ⌈100 / 32⌉ = 4 evaluation steps per pass.
    expect(runSteps(r)).toEqual({ trainSteps: 320, evalSteps: 40, batch: 32, evalBatch: 32, repeats: 1 });
    expect(runSteps({ ...r, evalPasses: 1, evalBatchSize: 50, repeats: 3 })).toEqual({ trainSteps: 320, evalSteps: 2, batch: 32, evalBatch: 50, repeats: 3 });
    expect(runSteps({ ...r, testSamples: 0 }).evalSteps).toBe(0);
  });

  it("scales a measured step linearly in batch and T, and sums train and evaluation time over the repeats", () => {
    const n = net("n", [16, 8, 3], 4);
    const m = { batch: 2, T: 4, trainStepS: 1, forwardStepS: 0.25 };
    // ×(8/2) batch × (16/4) time steps.
    expect(scaledStepSeconds(m, n, 8, "train")).toBe(16);
    expect(scaledStepSeconds(m, n, 8, "forward")).toBe(4);
    const r: WorkloadRun = { label: "r", network: n, epochs: 2, trainSamples: 20, testSamples: 8, repeats: 3 };
    // 3 · (2·⌈20/8⌉ · 16 s + 2·⌈8/8⌉ · 4 s) = 3 · (96 + 8) = 312 s.
    expect(runSeconds(r, m)).toBe(312);
  });

  it("lists each network once and rejects a malformed declaration, naming the run and field", () => {
    const a = net("a", [4, 2, 3]), b = net("b", [4, 2, 3]);
    const runs: WorkloadRun[] = [{ label: "1", network: a, epochs: 1, trainSamples: 1, testSamples: 0 }, { label: "2", network: b, epochs: 1, trainSamples: 1, testSamples: 0 }, { label: "3", network: a, epochs: 1, trainSamples: 1, testSamples: 0 }];
    expect(workloadNetworks({ runs }).map((n) => n.key)).toEqual(["a", "b"]);
    expect(() => validateWorkload({ runs: [] }, "x:y")).toThrow(/x:y: a paper workload needs at least one run/);
    expect(() => validateWorkload({ runs: [{ ...runs[0]!, epochs: 0 }] }, "x:y")).toThrow(/x:y run '1': epochs must be a positive integer, got 0/);
    expect(() => validateWorkload({ runs: [{ ...runs[0]!, network: net("c", [4, 2]) }] }, "x:y")).toThrow(/inputShape must be \[T, B, \.\.\.\]/);
    expect(() => validateWorkload({ runs: [{ ...runs[0]!, network: net("c", [4, 2, 3], 8) }] }, "x:y")).toThrow(/measureT 8 exceeds the paper's T 4/);
  });
});
