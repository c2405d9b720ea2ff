// One training step of every paper network on a backend spikelab has never heard of: "stock-cpu", the
// cpu backend with TF.js's own cpu kernels only (none of spikelab's: no fused neurons, no wasm
// replacements). That is what the `tensorflow` backend (tfjs-node, tfjs-node-gpu) sees: the op-by-op
// path must need no kernel that exists only because spikelab registers it. The gradients must equal
// the ones on `cpu` with spikelab's fused kernels.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentBackend, tf, useBackend } from "../../src/lib/backend/index.js";
import { gradientMismatches, PAPER_NETS, paperNetStep, type StepResult } from "./paper-nets.js";

const STOCK = "stock-cpu";
const before = currentBackend()!.rung;

beforeAll(async () => {
  await useBackend("cpu", { log: false });
  if (tf.findBackendFactory(STOCK) == null) {
    const Cpu = tf.findBackend("cpu")!.constructor as new () => tf.KernelBackend;
    tf.registerBackend(STOCK, () => new Cpu());
    for (const k of tf.getKernelsForBackend("cpu")) {
      if (k.kernelName.startsWith("Spikelab")) continue; // spikelab's fused kernels (registered lazily on cpu)
      tf.registerKernel({ ...k, backendName: STOCK });
    }
  }
});

afterAll(async () => {
  await useBackend(before, { log: false });
});

async function stepOn(backend: string, i: number): Promise<StepResult> {
  await tf.setBackend(backend);
  (tf.backend() as { firstUse?: boolean }).firstUse = false; // the cpu backend's "install tfjs-node" banner
  return paperNetStep(PAPER_NETS[i]!);
}

describe("every paper network trains one step without any spikelab kernel", () => {
  PAPER_NETS.forEach((net, i) => {
    it(net.name, async () => {
      const plain = await stepOn(STOCK, i);
      expect(tf.getKernelsForBackend(STOCK).filter((k) => k.kernelName.startsWith("Spikelab"))).toEqual([]);
      const fused = await stepOn("cpu", i);
      expect(Number.isFinite(plain.loss)).toBe(true);
      expect(plain.loss).toBeCloseTo(fused.loss, 5);
      expect(plain.grads.length).toBeGreaterThan(0);
      expect(plain.grads.some((g) => g.values.some((v) => v !== 0))).toBe(true);
      expect(gradientMismatches(plain, fused, 1e-4, 1e-6)).toEqual([]);
    }, 120_000);
  });
});
