import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { measureWithFallback } from "../../src/lib/repro/estimate.js";
import { describeEnvironment, measureStepTime, stepTimeEnvironment } from "../../src/lib/repro/step-time.js";
import type { WorkloadNetwork } from "../../src/lib/repro/workload.js";
import { TinySnn } from "../train/fixtures/tiny.js";

const toy = (over: Partial<WorkloadNetwork> = {}): WorkloadNetwork => ({ key: "tiny", inputShape: [4, 64, 8], numClasses: 3, build: () => new TinySnn(8, 16, 3, 1, 0), ...over });

describe("step-time measurement", () => {
  it("times real SGD and forward steps of a toy network at the reduced batch, moves its weights, and frees every tensor", async () => {
    const tensors = tf.memory().numTensors;
    // The first weight as each forward sees it: SGD steps must move it (the network is disposed afterwards).
    const seen: number[] = [];
    const build = () => {
      const net = new TinySnn(8, 16, 3, 1, 0);
      return { parameters: () => net.parameters(), train: (m: boolean) => net.train(m), forward: (x: tf.Tensor) => { seen.push(net.w1.dataSync()[0]!); return net.forward(x); } };
    };
    const m = await measureStepTime({ ...toy(), build }, { batch: 2, warmup: 1, repeats: 2 });
    expect(m.batch).toBe(2);
    expect(m.T).toBe(4);
    expect(m.shape).toEqual([4, 2, 8]);
    expect(m.trainSamplesS).toHaveLength(2);
    expect(m.forwardSamplesS).toHaveLength(2);
    for (const s of [...m.trainSamplesS, ...m.forwardSamplesS]) expect(s).toBeGreaterThan(0);
    expect(m.trainStepS).toBeCloseTo((m.trainSamplesS[0]! + m.trainSamplesS[1]!) / 2, 12);
    // 1 materialising forward + 3 × (train forward + eval forward); 3 SGD updates happened between them.
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(4);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it("rejects a network that returns no logits sequence and a bad batch, naming what was expected", async () => {
    await expect(measureStepTime(toy(), { batch: 0 })).rejects.toThrow(/batch must be a positive integer, got 0/);
    const none = toy({ build: () => ({ forward: (x: tf.Tensor) => tf.reshape(x, [-1]), parameters: () => [] }) });
    await expect(measureStepTime(none)).rejects.toThrow(/network 'tiny' has no trainable parameters/);
    const flat = toy({ build: () => { const v = tf.variable(tf.ones([1])); return { forward: (x: tf.Tensor) => tf.mul(tf.reshape(x, [-1]), v), parameters: () => [{ name: "v", variable: v, group: "weight" as const }] }; } });
    await expect(measureStepTime(flat)).rejects.toThrow(/returned shape \[64\], expected \[T, B, K\] or \[B, K\]/);
  });

  it("falls back to batch 1, then to fewer time steps, when a measurement fails", async () => {
    const said: string[] = [];
    // A network that cannot run beyond T = 2 samples·steps: fails at (2, 8), (1, 8), (1, 4), succeeds at (1, 2).
    const net = toy({ inputShape: [8, 64, 8], build: (T) => { if (T > 2) throw new Error(`too big at T ${T}`); return new TinySnn(8, 16, 3, 2, 0); } });
    const m = await measureWithFallback(net, 2, (s) => said.push(s));
    expect([m.batch, m.T]).toEqual([1, 2]);
    expect(said).toEqual([
      "  failed (too big at T 8); retrying at batch 1, T 8",
      "  failed (too big at T 8); retrying at batch 1, T 4",
      "  failed (too big at T 4); retrying at batch 1, T 2",
    ]);
  });

  it("names the running backend and its device", () => {
    const env = stepTimeEnvironment();
    expect(env.backend.length).toBeGreaterThan(0);
    expect(env.device).toMatch(/ × \d+$|./);
    expect(describeEnvironment({ backend: "wasm", workers: 1 })).toBe("wasm (1 worker)");
    expect(describeEnvironment({ backend: "wasm", workers: 4 })).toBe("wasm (4 workers)");
    expect(describeEnvironment({ backend: "webgpu", workers: null })).toBe("webgpu");
  });
});
