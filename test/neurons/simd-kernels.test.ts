// The generated wasm SIMD cores of the sequential neurons (kernels/seq-neuron-simd.ts) against the JS
// cores (kernels/seq-neuron.ts): forward bit for bit, closed-form backward (events-and-parity §1.2)
// within 1e-6, over every charge kind, reset, tie rule, SIMD surrogate and set of upstream gradients,
// at sizes that exercise both the f32x4 loop and the scalar N mod 4 tail. Then the fused op on the
// wasm backend (which runs these kernels in place on the heap) against the reference and the cpu backend.
import { afterAll, describe, expect, it } from "vitest";
import { currentBackend, useBackend } from "../../src/lib/backend/index.js";
import { tf } from "../../src/lib/backend/tf.js";
import { chargeCoefficients, fusedMultiStep, ifConfig, lifConfig, referenceMultiStep, type ChargeKind, type SeqNeuronConfig } from "../../src/lib/neurons/index.js";
import { wasmHeapMemory } from "../../src/lib/backend/wasm-heap.js";
import { seqNeuronBackward, seqNeuronForward, type SeqKernelAttrs } from "../../src/lib/neurons/kernels/seq-neuron.js";
import { seqSimdBackward, seqSimdForward, seqSimdSupports, type GradInputs } from "../../src/lib/neurons/kernels/seq-neuron-simd.js";
import { simdSupported } from "../../src/lib/backend/wasm-simd.js";
import { atan, inverseQuadratic, rectangle, sigmoid, triangle, type Surrogate, type TieRule } from "../../src/lib/surrogate.js";

const startBackend = currentBackend()!.rung;
afterAll(async () => { await useBackend(startBackend, { log: false }); });

/** Deterministic float32 values in [lo, hi). */
function values(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  return Float32Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)));
}

/** A scratch heap with arrays placed at byte offsets (deliberately not 16-byte aligned). */
class Heap {
  readonly memory = new WebAssembly.Memory({ initial: 64 });
  private top = 20;
  put(a: Float32Array): number {
    const at = this.top;
    new Float32Array(this.memory.buffer, at, a.length).set(a);
    this.top += a.length * 4 + 36;
    return at;
  }
  alloc(n: number): number { return this.put(new Float32Array(n)); }
  /** Start placing arrays from the bottom again (the memory, and so the compiled-kernel cache, is kept). */
  reset(): this { this.top = 20; return this; }
  get(at: number, n: number): Float32Array { return new Float32Array(this.memory.buffer, at, n).slice(); }
}

const CHARGES: ChargeKind[] = ["if", "lif-decay", "lif-decay-vr", "lif-nodecay", "lif-nodecay-vr", "legacy"];
const SIMD_SG: Array<[string, number]> = [["atan", 2], ["sigmoid", 4], ["triangle", 1], ["rectangle", 1.5], ["inverseQuadratic", 10]];
const GRADS: GradInputs[] = [
  { gS: true, gV: false, gH: false }, { gS: false, gV: true, gH: false }, { gS: false, gV: false, gH: true },
  { gS: true, gV: true, gH: false }, { gS: true, gV: true, gH: true },
];

function attrs(T: number, N: number, charge: ChargeKind, vReset: number | null, detachReset: boolean, tie: TieRule, sg: [string, number]): SeqKernelAttrs {
  const tau = charge === "legacy" ? 0.25 : charge === "if" ? 1 : 2.5;
  const { alpha, beta } = chargeCoefficients(charge, tau);
  return {
    T, N, charge, tau, vThreshold: 0.9, vReset: vReset ?? Number.NaN, soft: vReset === null, detachReset, tie,
    sgKind: sg[0] as SeqKernelAttrs["sgKind"], sgParam: sg[1], alpha, beta,
  };
}

describe.skipIf(!simdSupported())("SIMD cores == JS cores", () => {
  const shared = new Heap();
  const sizes: Array<[number, number]> = [[1, 1], [4, 3], [5, 4], [6, 23], [3, 64]];

  it("forward: S, V, H bit-identical for every charge kind, reset, tie rule and size (vector loop and scalar tail)", () => {
    let cases = 0;
    for (const [T, N] of sizes) for (const charge of CHARGES) for (const vReset of [0, null, -0.3]) for (const tie of [">=", ">"] as const) {
      const a = attrs(T, N, charge, vReset, false, tie, ["atan", 2]);
      const x = values(T * N, T * 31 + N, -0.4, 1.6), v0 = values(N, N + 7, -0.3, 0.9);
      // Exact ties: some inputs land H exactly on the threshold, so the tie rule matters.
      if (charge === "if") for (let i = 0; i < N; i += 3) { x[i] = Math.fround(0.9 - v0[i]!); }
      const s = new Float32Array(T * N), v = new Float32Array(T * N), h = new Float32Array(T * N);
      seqNeuronForward(a, x, v0, s, v, h);
      const heap = shared.reset();
      const px = heap.put(x), pv0 = heap.put(v0), ps = heap.alloc(T * N), pv = heap.alloc(T * N), ph = heap.alloc(T * N);
      const fwd = seqSimdForward(heap.memory, a);
      expect(fwd).not.toBeNull();
      fwd!(px, pv0, ps, pv, ph, T, N);
      const where = `${charge} vReset=${vReset} tie ${tie} [${T}, ${N}]`;
      expect(Array.from(heap.get(ph, T * N)), `H ${where}`).toEqual(Array.from(h));
      expect(Array.from(heap.get(ps, T * N)), `S ${where}`).toEqual(Array.from(s));
      expect(Array.from(heap.get(pv, T * N)), `V ${where}`).toEqual(Array.from(v));
      cases++;
    }
    expect(cases).toBe(sizes.length * CHARGES.length * 3 * 2);
  });

  it("backward: gX and gV0 within 1e-6 for every surrogate, reset mode and set of upstream gradients", () => {
    let worst = 0;
    for (const [T, N] of sizes) for (const charge of ["if", "lif-decay", "legacy"] as ChargeKind[]) for (const vReset of [0, null, -0.3])
      for (const detach of [false, true]) for (const sg of SIMD_SG) for (const g of GRADS) {
        const a = attrs(T, N, charge, vReset, detach, ">=", sg);
        const x = values(T * N, T + N, -0.4, 1.6), v0 = values(N, 3, -0.3, 0.9);
        const s = new Float32Array(T * N), v = new Float32Array(T * N), h = new Float32Array(T * N);
        seqNeuronForward(a, x, v0, s, v, h);
        const gS = values(T * N, 11, -1, 1), gV = values(T * N, 12, -1, 1), gH = values(T * N, 13, -1, 1);
        const gX = new Float32Array(T * N), gV0 = new Float32Array(N);
        seqNeuronBackward(a, g.gS ? gS : null, g.gV ? gV : null, g.gH ? gH : null, h, s, gX, gV0);
        const heap = shared.reset();
        const ph = heap.put(h), pgS = heap.put(gS), pgV = heap.put(gV), pgH = heap.put(gH), pgX = heap.alloc(T * N), pgV0 = heap.alloc(N);
        const bwd = seqSimdBackward(heap.memory, a, g);
        expect(bwd).not.toBeNull();
        bwd!(ph, g.gS ? pgS : 0, g.gV ? pgV : 0, g.gH ? pgH : 0, pgX, pgV0, T, N);
        const scale = Math.max(1, ...Array.from(gX, Math.abs), ...Array.from(gV0, Math.abs));
        const dx = heap.get(pgX, T * N), dv = heap.get(pgV0, N);
        for (let i = 0; i < T * N; i++) worst = Math.max(worst, Math.abs(dx[i]! - gX[i]!) / scale);
        for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(dv[i]! - gV0[i]!) / scale);
      }
    expect(worst).toBeLessThan(1e-6);
  });

  it("sigmoid σ′ (float32 exp polynomial) within float32 rounding of the float64 formula, from 0 to the far tails", () => {
    // T = 1, IF, soft reset with detach (ψ = 1), loss on S only: gX = β·gS·σ′(H − V_th) = σ′(x − 0.9).
    const d = Float32Array.from([0, 1e-30, -1e-30, 1e-7, 0.01, -0.01, 0.1, 0.5, -0.5, 1, -1, 2, 3.7, -3.7, 5, 8, -8, 11.2, -11.2, 15, 20, -20, 21.7, 30, -100, 1e4, -1e4]);
    const N = d.length;
    for (const alpha of [1, 4, 10]) {
      const a = attrs(1, N, "if", null, true, ">=", ["sigmoid", alpha]);
      const h = Float32Array.from(d, (v) => Math.fround(v + 0.9));
      const heap = shared.reset();
      const ph = heap.put(h), pgS = heap.put(new Float32Array(N).fill(1)), pgX = heap.alloc(N), pgV0 = heap.alloc(N);
      seqSimdBackward(heap.memory, a, GRADS[0]!)!(ph, pgS, 0, 0, pgX, pgV0, 1, N);
      const got = heap.get(pgX, N);
      h.forEach((hv, i) => {
        // σ′ = α·s·(1 − s) = α·e/(1 + e)², e = exp(−|x|), in float64 (s·(1 − s) itself cancels in the tails).
        const x = alpha * Math.fround(hv - Math.fround(0.9)), e = Math.exp(-Math.abs(x)), want = alpha * e / ((1 + e) * (1 + e));
        // Relative error budget: the float32 product −α·|d| is rounded (|x|·2⁻²⁴ relative in exp(·)) plus a few
        // ulps for expf and the final ÷ — the same budget as any float32 evaluation (TF.js's op path included).
        const err = Math.abs(got[i]! - want), budget = (8 + Math.abs(x)) * 2 ** -24;
        expect(err <= budget * want || (want < 1e-30 && Math.abs(got[i]!) < 1e-30), `α=${alpha} d=${d[i]}: ${got[i]} vs ${want}`).toBe(true);
        if (Math.abs(x) < 4) expect(err, `α=${alpha} d=${d[i]}`).toBeLessThanOrEqual(1e-6 * want);
      });
    }
  });

  it("every surrogate has a SIMD form; the forward does not depend on it", () => {
    for (const sg of SIMD_SG) expect(seqSimdSupports(attrs(2, 5, "lif-decay", 0, false, ">=", sg)), sg[0]).toBe(true);
    expect(seqSimdForward(new WebAssembly.Memory({ initial: 1 }), attrs(2, 5, "lif-decay", 0, false, ">=", ["sigmoid", 4]))).not.toBeNull();
  });
});

describe("JS backward core: absent gradients and recomputed S", () => {
  it("null upstream gradients equal zero arrays, and s = null (S recomputed from H) equals the forward's S", () => {
    for (const tie of [">=", ">"] as const) for (const vReset of [0, null]) {
      const T = 5, N = 7;
      const a = attrs(T, N, "lif-decay-vr", vReset, false, tie, ["sigmoid", 4]);
      const x = values(T * N, 5, -0.4, 1.6), v0 = values(N, 6, -0.3, 0.9);
      x[3] = Math.fround(0.9 * 2.5); // H lands on the threshold from V0 = 0 — exercises the tie
      const s = new Float32Array(T * N), v = new Float32Array(T * N), h = new Float32Array(T * N);
      seqNeuronForward(a, x, v0, s, v, h);
      const gS = values(T * N, 7, -1, 1), zero = new Float32Array(T * N);
      const full = { gX: new Float32Array(T * N), gV0: new Float32Array(N) };
      const lean = { gX: new Float32Array(T * N), gV0: new Float32Array(N) };
      seqNeuronBackward(a, gS, zero, zero, h, s, full.gX, full.gV0);
      seqNeuronBackward(a, gS, null, null, h, null, lean.gX, lean.gV0);
      expect(Array.from(lean.gX)).toEqual(Array.from(full.gX));
      expect(Array.from(lean.gV0)).toEqual(Array.from(full.gV0));
    }
  });
});

// ---- through TF.js --------------------------------------------------------------------------------

type Which = "S" | "V" | "H" | "SVH";

/** Gradients to x and V0 of a loss on the chosen outputs (each weighted by a fixed random tensor). */
function grads(fused: boolean, cfg: SeqNeuronConfig, which: Which, shape: number[]): Float32Array[] {
  const out = tf.tidy(() => {
    const x = tf.randomNormal(shape, 0.7, 0.9, "float32", 3);
    const v0 = tf.randomUniform(shape.slice(1), -0.2, 0.6, "float32", 4);
    const w = [5, 6, 7].map((k) => tf.randomUniform(shape, -1, 1, "float32", k));
    const f = (xx: tf.Tensor, vv: tf.Tensor) => {
      const r = (fused ? fusedMultiStep : referenceMultiStep)("t", xx, vv, cfg);
      const terms: tf.Scalar[] = [];
      if (which.includes("S")) terms.push(tf.sum(tf.mul(w[0]!, r.spikes)));
      if (which.includes("V")) terms.push(tf.sum(tf.mul(w[1]!, r.vSeq)));
      if (which.includes("H")) terms.push(tf.sum(tf.mul(w[2]!, tf.square(r.hSeq))));
      return tf.addN(terms);
    };
    const r = fusedMultiStep("t", x, v0, cfg);
    return [r.spikes, r.vSeq, r.hSeq, r.v, ...tf.grads(f)([x, v0])];
  });
  return out.map((t) => { const d = t.dataSync() as Float32Array; t.dispose(); return d; });
}

function expectClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  let d = 0, s = 1;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); }
  expect(d, `${what}: max |diff| ${d}`).toBeLessThanOrEqual(tol * s);
}

const netCases: Array<[string, SeqNeuronConfig]> = [
  ["LIF hard atan (SIMD backward)", lifConfig({ surrogate: atan(2) })],
  ["IF soft detach triangle > (SIMD backward)", ifConfig({ vReset: null, detachReset: true, surrogate: triangle(1) })],
  ["LIF soft rectangle (SIMD backward)", lifConfig({ vReset: null, surrogate: rectangle(1) })],
  ["LIF vr=-0.3 inverseQuadratic (SIMD backward)", lifConfig({ vReset: -0.3, decayInput: false, surrogate: inverseQuadratic(10) })],
  ["LIF hard sigmoid (SIMD backward, float32 exp)", lifConfig({ surrogate: sigmoid(4) as Surrogate })],
];

describe("fused op on wasm: spike / V / H tape nodes", () => {
  it("runs the SIMD kernels in place on the wasm heap", async () => {
    await useBackend("wasm", { log: false });
    expect(wasmHeapMemory(tf.backend())).toBeInstanceOf(WebAssembly.Memory);
    expect(simdSupported()).toBe(true);
  });

  for (const [name, cfg] of netCases) {
    it(`${name}: loss on S, V, H alone and together — fused == reference (1e-6), wasm == cpu`, async () => {
      const shape = [6, 5, 7]; // N = 35: eight f32x4 steps and a 3-element tail
      const byBackend: Record<string, Float32Array[][]> = {};
      for (const rung of ["wasm", "cpu"] as const) {
        await useBackend(rung, { log: false });
        byBackend[rung] = (["S", "V", "H", "SVH"] as Which[]).map((which) => {
          const f = grads(true, cfg, which, shape), r = grads(false, cfg, which, shape);
          const fwdNames = ["S", "V", "H", "v"];
          for (let k = 0; k < 4; k++) expectClose(f[k]!, r[k]!, k === 0 ? 0 : 1e-6, `${rung} ${which}: ${fwdNames[k]}`);
          expectClose(f[4]!, r[4]!, 1e-6, `${rung} ${which}: dL/dx`);
          expectClose(f[5]!, r[5]!, 1e-6, `${rung} ${which}: dL/dV0`);
          return f;
        });
      }
      byBackend.wasm!.forEach((w, i) => w.forEach((a, k) => expectClose(a, byBackend.cpu![i]![k]!, k === 0 ? 0 : 1e-6, `wasm vs cpu case ${i} output ${k}`)));
      await useBackend(startBackend, { log: false });
    });
  }

  it("a loss on V alone runs one backward kernel with only gV; nothing leaks", async () => {
    await useBackend("wasm", { log: false });
    const x = tf.randomNormal([8, 40], 0.5, 1, "float32", 1);
    const step = () => tf.grad((xx: tf.Tensor) => tf.sum(fusedMultiStep("t", xx, 0, lifConfig({ surrogate: atan() })).vSeq))(x).dispose();
    step();
    const n = tf.memory().numTensors, ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const prof = await tf.profile(step);
    expect(prof.kernels.filter((k) => k.name === "SpikelabSeqNeuronGrad")).toHaveLength(1);
    expect(prof.kernels.filter((k) => k.name === "SpikelabSeqNeuron")).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(n);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
    x.dispose();
    await useBackend(startBackend, { log: false });
  });
});
