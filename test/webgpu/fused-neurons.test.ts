// The WGSL fused neuron kernels (seq-neuron-webgpu.ts, psn-webgpu.ts) against the op-by-op reference
// on the same webgpu adapter, and against cpu: forward S, V, H and the closed-form backward to x and
// V0 (sequential neurons), to x, W and b (PSN). One forward and one backward kernel name per [T, N].
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { fusedAvailable, fusedMultiStep, ifConfig, legacyLifConfig, lifConfig, referenceMultiStep, type SeqNeuronConfig } from "../../src/lib/neurons/index.js";
import { PSN_GRAD_KERNEL, PSN_KERNEL, SEQ_NEURON_GRAD_KERNEL, SEQ_NEURON_KERNEL } from "../../src/lib/neurons/kernels/kernel-names.js";
import { psnFusedAvailable } from "../../src/lib/neurons/kernels/psn-op.js";
import { psnForward, psnForwardOps } from "../../src/lib/neurons/psn.js";
import { atan, inverseQuadratic, rectangle, sigmoid, triangle, type Surrogate } from "../../src/lib/surrogate.js";
import { mismatches, normal, runOn, type Out } from "./helpers.js";

const T = 6, SHAPE = [T, 3, 5, 7]; // N = 105: not a multiple of the workgroup (64)

/** S, V, H and ∂L/∂x, ∂L/∂V0 of L = Σ a·S + Σ b·V + Σ c·H² (every output carries gradient). */
function seqRun(fused: boolean, cfg: SeqNeuronConfig): tf.Tensor[] {
  const f = fused ? fusedMultiStep : referenceMultiStep;
  const x = tf.tensor(normal(SHAPE, 1, 0.9, 0.7), SHAPE);
  const v0 = tf.tensor(normal([1, 5, 7], 2, 0.2, 0.2), [1, 5, 7]);
  const [a, b, c] = [3, 4, 5].map((s) => tf.tensor(normal(SHAPE, s), SHAPE));
  const loss = (xx: tf.Tensor, vv: tf.Tensor) => {
    const r = f("webgpu test", xx, vv, cfg);
    return tf.addN([tf.sum(tf.mul(a!, r.spikes)), tf.sum(tf.mul(b!, r.vSeq)), tf.sum(tf.mul(c!, tf.square(r.hSeq)))]);
  };
  const r = f("webgpu test", x, v0, cfg);
  const [gx, gv0] = tf.grads(loss)([x, v0]);
  return [r.spikes, r.vSeq, r.hSeq, gx!, gv0!];
}

const configs: Array<[string, SeqNeuronConfig]> = [];
for (const vReset of [0, null, -0.3]) {
  for (const detachReset of [false, true]) {
    configs.push([`IF vReset=${vReset} detach=${detachReset}`, ifConfig({ vReset, detachReset, surrogate: atan() })]);
    for (const decayInput of [true, false]) {
      configs.push([`LIF τ 2.5 decayInput=${decayInput} vReset=${vReset} detach=${detachReset}`, lifConfig({ tau: 2.5, decayInput, vReset, detachReset, surrogate: sigmoid(4) })]);
    }
  }
}
configs.push(["legacy LIF (decay 0.25, triangle >)", legacyLifConfig()]);
const surrogates: Surrogate[] = [atan(2), sigmoid(4), triangle(1), rectangle(1.5), inverseQuadratic(10), atan(2, ">")];
for (const s of surrogates) configs.push([`LIF hard, ${s.name} tie ${s.tie}`, lifConfig({ surrogate: s })]);

/** Spike trains must agree exactly except where H is within float32 rounding of the threshold. */
function spikeFlips(got: Out, want: Out): number {
  let n = 0;
  for (let i = 0; i < want.values.length; i++) if (got.values[i] !== want.values[i]) n++;
  return n;
}

describe("fused sequential neurons on webgpu (WGSL) == op-by-op reference", () => {
  it("the fused path is taken on webgpu: one SpikelabSeqNeuron kernel per forward, one backward kernel per output", async () => {
    expect(fusedAvailable(atan())).toBe(true);
    const names: string[] = [];
    const prof = await tf.profile(() => tf.tidy(() => seqRun(true, lifConfig({ surrogate: atan() }))));
    for (const k of prof.kernels) names.push(k.name);
    // seqRun runs the neuron twice (its outputs, and inside the loss for the gradient): two forwards.
    expect(names.filter((n) => n === SEQ_NEURON_KERNEL).length).toBe(2);
    expect(names.filter((n) => n === SEQ_NEURON_GRAD_KERNEL).length).toBe(3); // one per output S, V, H (the loss uses all three)
  });

  for (const [name, cfg] of configs) {
    it(name, async () => {
      const fused = await runOn("webgpu", () => seqRun(true, cfg));
      const ref = await runOn("webgpu", () => seqRun(false, cfg));
      const cpu = await runOn("cpu", () => seqRun(false, cfg));
      expect(spikeFlips(fused[0]!, ref[0]!)).toBe(0);
      const spikes = fused[0]!.values.reduce((s, v) => s + v, 0);
      expect(spikes).toBeGreaterThan(0); // firing and resets are exercised
      expect(spikes).toBeLessThan(fused[0]!.values.length);
      expect(mismatches("fused vs reference (webgpu)", fused, ref, 2e-6, 1e-6)).toEqual([]);
      expect(mismatches("fused webgpu vs cpu", fused, cpu, 2e-6, 1e-6)).toEqual([]);
    });
  }
});

/** PSN S and ∂L/∂x, ∂L/∂W, ∂L/∂b of L = Σ a·S. */
function psnRun(fused: boolean, sg: Surrogate, Tp: number, N: number): tf.Tensor[] {
  const x = tf.tensor(normal([Tp, N], 7), [Tp, N]);
  const w = tf.tensor(normal([Tp, Tp], 8, 1 / Math.sqrt(Tp)), [Tp, Tp]);
  const b = tf.tensor(normal([Tp, 1], 9, 0.1, -0.2), [Tp, 1]);
  const a = tf.tensor(normal([Tp, N], 10), [Tp, N]);
  const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => fused ? psnForward(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, sg) : psnForwardOps(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, sg);
  const [gx, gw, gb] = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(a, f(xx, ww, bb))))([x, w, b]);
  return [f(x, w, b), gx!, gw!, gb!];
}

describe("fused PSN on webgpu (WGSL) == op path", () => {
  it("takes the fused kernels on webgpu", async () => {
    expect(psnFusedAvailable(atan())).toBe(true);
    const prof = await tf.profile(() => tf.tidy(() => psnRun(true, atan(), 4, 100)));
    const names = prof.kernels.map((k) => k.name);
    expect(names).toContain(PSN_KERNEL);
    expect(names).toContain(PSN_GRAD_KERNEL);
    expect(names).not.toContain("BatchMatMul");
  });
  for (const [sg, Tp, N] of [[atan(2), 4, 100], [sigmoid(4), 8, 1000], [triangle(1, ">"), 16, 150], [inverseQuadratic(10), 5, 70]] as const) {
    it(`${sg.name} tie ${sg.tie}, T ${Tp}, N ${N}`, async () => {
      const fused = await runOn("webgpu", () => psnRun(true, sg, Tp, N));
      const ops = await runOn("webgpu", () => psnRun(false, sg, Tp, N));
      const cpu = await runOn("cpu", () => psnRun(false, sg, Tp, N));
      expect(spikeFlips(fused[0]!, ops[0]!)).toBe(0);
      expect(mismatches("fused vs ops (webgpu)", fused, ops, 1e-5, 1e-6)).toEqual([]);
      expect(mismatches("fused webgpu vs cpu", fused, cpu, 1e-5, 1e-6)).toEqual([]);
    });
  }
});
