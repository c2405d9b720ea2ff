// Fused multi-step kernel == op-by-op reference (forward and closed-form BPTT backward), on wasm and cpu;
// closed form vs central finite differences (events-and-parity §1.2, §7 items 1-3; papers.md §1.1, §3.1).
import { afterAll, describe, expect, it } from "vitest";
import { currentBackend, useBackend } from "../../src/lib/backend/index.js";
import { tf } from "../../src/lib/backend/tf.js";
import {
  chargeCoefficients, fusedAvailable, fusedMultiStep, ifConfig, legacyLifConfig, lifConfig, referenceMultiStep,
  SEQ_NEURON_GRAD_KERNEL, SEQ_NEURON_KERNEL, type ChargeKind, type SeqNeuronConfig,
} from "../../src/lib/neurons/index.js";
import { seqNeuronBackward, type SeqKernelAttrs } from "../../src/lib/neurons/kernels/seq-neuron.js";
import { atan, inverseQuadratic, rectangle, sigmoid, triangle, type Surrogate } from "../../src/lib/surrogate.js";

const startBackend = currentBackend()!.rung;
afterAll(async () => { await useBackend(startBackend, { log: false }); });

function maxAbs(a: ArrayLike<number>): number {
  let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!)); return m;
}
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!)); return m;
}
/** |a − b|∞ ≤ tol · max(1, |b|∞). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  const d = maxDiff(a, b), s = Math.max(1, maxAbs(b));
  expect(d, `${what}: max |diff| ${d} vs scale ${s}`).toBeLessThanOrEqual(tol * s);
}

type Run = { s: Float32Array; v: Float32Array; h: Float32Array; gx: Float32Array; gv0: Float32Array };

/** Forward + backward of L = Σ a·S + Σ b·V + Σ c·H² (all three outputs carry gradient). */
function run(fused: boolean, cfg: SeqNeuronConfig, x: tf.Tensor, v0: tf.Tensor): Run {
  const f = fused ? fusedMultiStep : referenceMultiStep;
  return tf.tidy(() => {
    const shape = x.shape;
    const a = tf.randomUniform(shape, -1, 1, "float32", 11);
    const b = tf.randomUniform(shape, -1, 1, "float32", 12);
    const c = tf.randomUniform(shape, -0.5, 0.5, "float32", 13);
    const loss = (xx: tf.Tensor, vv: tf.Tensor) => {
      const r = f("test", xx, vv, cfg);
      return tf.addN([tf.sum(tf.mul(a, r.spikes)), tf.sum(tf.mul(b, r.vSeq)), tf.sum(tf.mul(c, tf.square(r.hSeq)))]);
    };
    const r = f("test", x, v0, cfg);
    const [gx, gv0] = tf.grads(loss)([x, v0]);
    return [r.spikes, r.vSeq, r.hSeq, gx!, gv0!];
  }).map((t) => { const d = t.dataSync() as Float32Array; t.dispose(); return d; })
    .reduce((acc, d, i) => ({ ...acc, [["s", "v", "h", "gx", "gv0"][i]!]: d }), {} as Run);
}

const surrogates: Surrogate[] = [atan(2), sigmoid(4), triangle(1), rectangle(1.5), inverseQuadratic(10), atan(2, ">")];
const configs: Array<[string, SeqNeuronConfig]> = [];
for (const vReset of [0, null, -0.3]) {
  for (const detachReset of [false, true]) {
    configs.push([`IF vReset=${vReset} detach=${detachReset}`, ifConfig({ vReset, detachReset, surrogate: atan() })]);
    for (const decayInput of [true, false]) {
      configs.push([`LIF tau=2.5 decayInput=${decayInput} vReset=${vReset} detach=${detachReset}`,
        lifConfig({ tau: 2.5, decayInput, vReset, detachReset, surrogate: sigmoid(4) })]);
    }
  }
}
configs.push(["legacy LIF (decay 0.25, triangle >)", legacyLifConfig()]);
configs.push(["legacy LIF (decay 0.5, atan)", legacyLifConfig({ decay: 0.5, surrogate: atan() })]);
for (const s of surrogates) configs.push([`LIF hard, ${s.name} tie ${s.tie}`, lifConfig({ surrogate: s })]);

function inputs(seed: number): { x: tf.Tensor; v0: tf.Tensor } {
  // [T=7, B=3, C=2, 4]; v0 like a per-neuron IMP [1, 2, 4] broadcast over the batch.
  return {
    x: tf.randomNormal([7, 3, 2, 4], 0.7, 0.9, "float32", seed),
    v0: tf.randomUniform([1, 2, 4], -0.2, 0.6, "float32", seed + 1),
  };
}

describe(`fused == reference on the default backend (${startBackend})`, () => {
  it("the fused kernel is available for spec'd surrogates on cpu/wasm, not for user-made ones", () => {
    expect(fusedAvailable(atan())).toBe(true);
    const custom: Surrogate = { name: "mine", tie: ">=", spike: (x) => x, grad: (x) => x };
    expect(fusedAvailable(custom)).toBe(false);
  });

  for (const [name, cfg] of configs) {
    it(`${name}: forward identical, gradients to x and V0 within 1e-6`, () => {
      const { x, v0 } = inputs(3);
      const f = run(true, cfg, x, v0), r = run(false, cfg, x, v0);
      expect(maxDiff(f.s, r.s)).toBe(0);
      expectClose(f.v, r.v, 1e-6, "V");
      expectClose(f.h, r.h, 1e-6, "H");
      expectClose(f.gx, r.gx, 1e-6, "dL/dx");
      expectClose(f.gv0, r.gv0, 1e-6, "dL/dV0");
      expect(maxAbs(f.gv0)).toBeGreaterThan(0);
      const spikes = f.s.reduce((a, b) => a + b, 0);
      expect(spikes).toBeGreaterThan(0); // the test exercises firing and resets
      expect(spikes).toBeLessThan(f.s.length);
      x.dispose(); v0.dispose();
    });
  }

  it("does not leak tensors (forward + backward)", () => {
    const { x, v0 } = inputs(5);
    const cfg = lifConfig({ surrogate: atan() });
    run(true, cfg, x, v0);
    const before = tf.memory().numTensors;
    run(true, cfg, x, v0);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose(); v0.dispose();
  });

  it("is one forward kernel and one backward kernel for the whole [T, N] sequence", async () => {
    const count = async (fused: boolean, T: number) => {
      const x = tf.randomNormal([T, 64], 0.5, 1, "float32", 1);
      const prof = await tf.profile(() => {
        const g = tf.grad((xx: tf.Tensor) => tf.sum((fused ? fusedMultiStep : referenceMultiStep)("t", xx, 0, lifConfig()).spikes))(x);
        g.dispose();
      });
      x.dispose();
      return prof.kernels.map((k) => k.name);
    };
    const f8 = await count(true, 8), f32 = await count(true, 32), r8 = await count(false, 8), r32 = await count(false, 32);
    expect(f8.filter((k) => k === SEQ_NEURON_KERNEL)).toHaveLength(1);
    expect(f8.filter((k) => k === SEQ_NEURON_GRAD_KERNEL)).toHaveLength(1);
    expect(f32.length).toBe(f8.length); // independent of T
    expect(r32.length).toBeGreaterThan(r8.length + 24 * 8); // reference: several ops per step, each direction
  });
});

describe("fused on wasm == fused on cpu == reference", () => {
  it("bit-identical forward and gradients within 1e-6 across backends", async () => {
    const cases = [configs[0]!, configs[3]!, configs[configs.length - 1]!, ["legacy", legacyLifConfig()] as [string, SeqNeuronConfig]];
    const results: Record<string, Run[]> = {};
    for (const rung of ["wasm", "cpu"] as const) {
      await useBackend(rung, { log: false });
      for (const [name, cfg] of cases) {
        const { x, v0 } = inputs(21);
        (results[name] ??= []).push(run(true, cfg, x, v0), run(false, cfg, x, v0));
        x.dispose(); v0.dispose();
      }
    }
    await useBackend(startBackend, { log: false });
    for (const [name] of cases) {
      const [wf, wr, cf, cr] = results[name]!;
      for (const o of [wr!, cf!, cr!]) {
        expect(maxDiff(o.s, wf!.s), name).toBe(0);
        expectClose(o.v, wf!.v, 1e-6, `${name} V`);
        expectClose(o.gx, wf!.gx, 1e-6, `${name} dL/dx`);
        expectClose(o.gv0, wf!.gv0, 1e-6, `${name} dL/dV0`);
      }
    }
  });
});

// ---- closed form vs central finite differences, in float64 --------------------------------------

/** Float64 model of the charge equations of base.ts (`ChargeKind`). */
function charge64(kind: ChargeKind, tau: number, vr: number, v: number, x: number): number {
  switch (kind) {
    case "if": return v + x;
    case "lif-decay": return v + (x - v) / tau;
    case "lif-decay-vr": return v + (x - (v - vr)) / tau;
    case "lif-nodecay": return v * (1 - 1 / tau) + x;
    case "lif-nodecay-vr": return v - (v - vr) / tau + x;
    case "legacy": return v * tau + x;
  }
}

interface Model64 { kind: ChargeKind; tau: number; th: number; vReset: number | null }

/** Float64 forward; `spike` maps H − V_th to S (Θ for the true model, a smooth primitive for the relaxed one). */
function forward64(m: Model64, x: number[][], v0: number[], spike: (d: number) => number) {
  const T = x.length, N = v0.length, vr = m.vReset ?? 0;
  const h: number[][] = [], s: number[][] = [], v: number[][] = [];
  let vp = v0.slice();
  for (let t = 0; t < T; t++) {
    h.push([]); s.push([]); v.push([]);
    for (let n = 0; n < N; n++) {
      const ht = charge64(m.kind, m.tau, vr, vp[n]!, x[t]![n]!);
      const st = spike(ht - m.th);
      const vt = m.vReset === null ? ht - st * m.th : (1 - st) * ht + st * vr;
      h[t]!.push(ht); s[t]!.push(st); v[t]!.push(vt);
    }
    vp = v[t]!;
  }
  return { h, s, v };
}

function loss64(o: { h: number[][]; s: number[][]; v: number[][] }, a: number[][], b: number[][], c: number[][]): number {
  let L = 0;
  o.h.forEach((row, t) => row.forEach((ht, n) => {
    L += a[t]![n]! * o.s[t]![n]! + b[t]![n]! * o.v[t]![n]! + c[t]![n]! * ht * ht;
  }));
  return L;
}

function grid(T: number, N: number, seed: number, lo: number, hi: number): number[][] {
  let st = seed >>> 0;
  const rnd = () => { st = (Math.imul(st, 1664525) + 1013904223) >>> 0; return st / 2 ** 32; };
  return Array.from({ length: T }, () => Array.from({ length: N }, () => lo + (hi - lo) * rnd()));
}

const fdModels: Array<[string, Model64, Surrogate]> = [
  ["IF hard", { kind: "if", tau: 1, th: 1, vReset: 0 }, sigmoid(4)],
  ["IF soft", { kind: "if", tau: 1, th: 1, vReset: null }, atan(2)],
  ["LIF decay", { kind: "lif-decay", tau: 2, th: 1, vReset: 0 }, sigmoid(4)],
  ["LIF decay vr", { kind: "lif-decay-vr", tau: 3, th: 1, vReset: -0.4 }, atan(2)],
  ["LIF nodecay soft", { kind: "lif-nodecay", tau: 2, th: 0.8, vReset: null }, sigmoid(2)],
  ["LIF nodecay vr", { kind: "lif-nodecay-vr", tau: 2.5, th: 1, vReset: 0.3 }, atan(3)],
  ["legacy", { kind: "legacy", tau: 0.25, th: 1, vReset: 0 }, sigmoid(4)],
];

function primitive(s: Surrogate): (d: number) => number {
  const p = s.spec!.param;
  if (s.spec!.kind === "sigmoid") return (d) => 1 / (1 + Math.exp(-p * d));
  if (s.spec!.kind === "atan") return (d) => Math.atan((Math.PI / 2) * p * d) / Math.PI + 0.5;
  throw new Error("smooth surrogate expected");
}

function attrs(m: Model64, s: Surrogate, T: number, N: number, detachReset: boolean): SeqKernelAttrs {
  const { alpha, beta } = chargeCoefficients(m.kind, m.tau);
  return {
    T, N, charge: m.kind, tau: m.tau, vThreshold: m.th, vReset: m.vReset ?? Number.NaN, soft: m.vReset === null,
    detachReset, tie: s.tie, sgKind: s.spec!.kind, sgParam: s.spec!.param, alpha, beta,
  };
}

describe("closed-form backward vs central finite differences (float64)", () => {
  const T = 6, N = 4, eps = 1e-6;
  for (const [name, m, sg] of fdModels) {
    it(`${name}: the §1.2 recurrence (non-detached ψ, gS·σ′ term, gV0) is the exact gradient of the relaxed model`, () => {
      // Relaxed model: S = G(H − V_th) with G the surrogate's primitive, so g′ is the true derivative and
      // ψ = 1 − S + (V_reset − H)·σ′ (hard) or 1 − V_th·σ′ (soft) hold exactly.
      const G = primitive(sg);
      const x = grid(T, N, 1, -0.2, 1.2), v0 = grid(1, N, 2, -0.2, 0.6)[0]!;
      const a = grid(T, N, 3, -1, 1), b = grid(T, N, 4, -1, 1), c = grid(T, N, 5, -0.5, 0.5);
      const o = forward64(m, x, v0, G);
      const flat = (q: number[][]) => Float32Array.from(q.flat());
      const gX = new Float32Array(T * N), gV0 = new Float32Array(N);
      seqNeuronBackward(attrs(m, sg, T, N, false), flat(a), flat(b), flat(o.h.map((r, t) => r.map((h, n) => 2 * c[t]![n]! * h))),
        flat(o.h), flat(o.s), gX, gV0);
      const L = (xx: number[][], vv: number[]) => loss64(forward64(m, xx, vv, G), a, b, c);
      for (let t = 0; t < T; t++) {
        for (let n = 0; n < N; n++) {
          const xp = x.map((r) => r.slice()), xm = x.map((r) => r.slice());
          xp[t]![n]! += eps; xm[t]![n]! -= eps;
          const fd = (L(xp, v0) - L(xm, v0)) / (2 * eps);
          expect(Math.abs(gX[t * N + n]! - fd), `dL/dx[${t},${n}]`).toBeLessThan(2e-5 * Math.max(1, Math.abs(fd)));
        }
      }
      for (let n = 0; n < N; n++) {
        const vp = v0.slice(), vm = v0.slice(); vp[n]! += eps; vm[n]! -= eps;
        const fd = (L(x, vp) - L(x, vm)) / (2 * eps);
        expect(Math.abs(gV0[n]! - fd), `dL/dV0[${n}]`).toBeLessThan(2e-5 * Math.max(1, Math.abs(fd)));
      }
    });

    it(`${name}: detached reset, true Θ forward, loss on V and H: fused == autodiff == finite differences`, () => {
      // With detachReset and no loss on S, the forward is piecewise smooth in (x, V0); inputs are kept
      // ≥ 0.1 away from the threshold so ±eps never flips a spike, and FD is exact up to rounding.
      const heav = (d: number) => (d >= 0 ? 1 : 0);
      const x = grid(T, N, 7, -0.2, 1.2), v0 = grid(1, N, 8, -0.2, 0.6)[0]!;
      let o = forward64(m, x, v0, heav);
      for (let pass = 0; pass < 50; pass++) {
        let moved = false;
        for (let t = 0; t < T && !moved; t++) {
          for (let n = 0; n < N && !moved; n++) {
            if (Math.abs(o.h[t]![n]! - m.th) < 0.1) { x[t]![n]! += 0.25; moved = true; }
          }
        }
        if (!moved) break;
        o = forward64(m, x, v0, heav);
      }
      expect(o.h.flat().every((h) => Math.abs(h - m.th) >= 0.1)).toBe(true);
      const b = grid(T, N, 9, -1, 1), c = grid(T, N, 10, -0.5, 0.5), zero = grid(T, N, 0, 0, 0);
      const L = (xx: number[][], vv: number[]) => loss64(forward64(m, xx, vv, heav), zero, b, c);
      const cfg: SeqNeuronConfig = { charge: m.kind, tau: m.tau, vThreshold: m.th, vReset: m.vReset, detachReset: true, surrogate: sg };
      const tfGrads = (fused: boolean) => tf.tidy(() => {
        const bt = tf.tensor2d(b), ct = tf.tensor2d(c);
        const f = (xx: tf.Tensor, vv: tf.Tensor) => {
          const r = (fused ? fusedMultiStep : referenceMultiStep)("fd", xx, vv, cfg);
          return tf.add(tf.sum(tf.mul(bt, r.vSeq)), tf.sum(tf.mul(ct, tf.square(r.hSeq))));
        };
        return tf.grads(f)([tf.tensor2d(x), tf.tensor1d(v0)]);
      });
      const [fx, fv] = tfGrads(true), [rx, rv] = tfGrads(false);
      const fxd = fx!.dataSync(), fvd = fv!.dataSync();
      expectClose(fxd, rx!.dataSync(), 1e-6, "fused vs autodiff dL/dx");
      expectClose(fvd, rv!.dataSync(), 1e-6, "fused vs autodiff dL/dV0");
      const h = 1e-4;
      for (let t = 0; t < T; t++) {
        for (let n = 0; n < N; n++) {
          const xp = x.map((r) => r.slice()), xm = x.map((r) => r.slice());
          xp[t]![n]! += h; xm[t]![n]! -= h;
          const fd = (L(xp, v0) - L(xm, v0)) / (2 * h);
          expect(Math.abs(fxd[t * N + n]! - fd), `dL/dx[${t},${n}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
        }
      }
      for (let n = 0; n < N; n++) {
        const vp = v0.slice(), vm = v0.slice(); vp[n]! += h; vm[n]! -= h;
        const fd = (L(x, vp) - L(x, vm)) / (2 * h);
        expect(Math.abs(fvd[n]! - fd), `dL/dV0[${n}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
      }
      [fx, fv, rx, rv].forEach((g) => g!.dispose());
    });
  }
});
