// One training step of every paper network on webgpu (fused WGSL neurons, stock webgpu conv/pool
// kernels and their gradients) gives the loss and gradients of the same step on cpu.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { gradientMismatches, PAPER_NETS, paperNetStep, type StepResult } from "../models/paper-nets.js";

async function stepOn(backend: "cpu" | "webgpu", i: number): Promise<StepResult> {
  await tf.setBackend(backend);
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  try {
    return await paperNetStep(PAPER_NETS[i]!);
  } finally {
    await tf.setBackend("webgpu");
  }
}

describe("paper networks: a training step on webgpu equals cpu", () => {
  PAPER_NETS.forEach((net, i) => {
    it(net.name, async () => {
      const gpu = await stepOn("webgpu", i);
      const cpu = await stepOn("cpu", i);
      gpu.params.forEach((p, j) => expect(Array.from(p), `initial parameter #${j}`).toEqual(Array.from(cpu.params[j]!)));
      expect(gpu.loss).toBeCloseTo(cpu.loss, 4);
      // rtol for float32 sums in another order; atol for gradients that are analytically zero
      // (a conv bias before training-mode BN) and come out as rounding noise around 0.
      expect(gradientMismatches(gpu, cpu, 1e-3, 1e-5)).toEqual([]);
    });
  });
});
