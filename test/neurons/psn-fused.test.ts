// The fused PSN (kernels/psn-simd.ts via kernels/psn-op.ts `psnFused`) against the op path `psnForwardOps`
// (papers.md §1.2: S = Θ(W·X + b); dW = gH·Xᵀ, db = Σ_n gH, dX = Wᵀ·gH with gH = gS ⊙ σ′(H)),
// on wasm and across backends (the cpu backend has no fused PSN and runs the op path).
import { afterAll, describe, expect, it } from "vitest";
import { currentBackend, useBackend } from "../../src/lib/backend/index.js";
import { tf } from "../../src/lib/backend/tf.js";
import { PSN_GRAD_KERNEL, PSN_KERNEL } from "../../src/lib/neurons/kernels/kernel-names.js";
import { psnFusedAvailable } from "../../src/lib/neurons/kernels/psn-op.js";
import { MaskedPSN, PSN, psnForward, psnForwardOps } from "../../src/lib/neurons/psn.js";
import { atan, inverseQuadratic, rectangle, sigmoid, triangle, type Surrogate } from "../../src/lib/surrogate.js";

const startBackend = currentBackend()!.rung;
afterAll(async () => { await useBackend(startBackend, { log: false }); });

type Forward = typeof psnForward;

/** S and the gradients to x, W, b of L = Σ G ⊙ S, as arrays. */
function run(f: Forward, sg: Surrogate, T: number, N: number, seed: number): Float32Array[] {
  const out = tf.tidy(() => {
    const x = tf.randomNormal([T, 2, N / 2], 0.3, 1, "float32", seed);
    const w = tf.randomUniform([T, T], -1 / Math.sqrt(T), 1 / Math.sqrt(T), "float32", seed + 1) as tf.Tensor2D;
    const b = tf.randomUniform([T, 1], -1, 0.5, "float32", seed + 2) as tf.Tensor2D;
    const g = tf.randomNormal([T, 2, N / 2], 0, 1, "float32", seed + 3);
    const s = f(x, w, b, sg);
    const gr = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, sg), g)))([x, w, b]);
    return [s, ...gr];
  });
  return out.map((t) => { const d = t.dataSync() as Float32Array; t.dispose(); return d; });
}

/** |a − b|∞ ≤ tol · max(1, |b|∞). */
function expectClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  let d = 0, s = 1;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); }
  expect(d, `${what}: max |diff| ${d} vs scale ${s}`).toBeLessThanOrEqual(tol * s);
}

// N even (x is [T, 2, N/2]); sizes cover the packed 64-column blocks, the 8- and 4-column loops and the scalar tail.
const SIZES: Array<[number, number]> = [[1, 2], [3, 10], [4, 64], [5, 130], [8, 6], [16, 200], [17, 74]];
const SURROGATES: Surrogate[] = [atan(2), sigmoid(4), triangle(1), rectangle(1.5), inverseQuadratic(10), atan(2, ">")];
/** A surrogate without a `spec` (as a user would write one): no fused kernel can know its g′. */
const custom: Surrogate = { ...atan(2), name: "custom", spec: undefined };

describe("fused PSN on wasm == op path", () => {
  it("is available on wasm for every built-in surrogate, not for user-made ones, never on cpu", async () => {
    await useBackend("wasm", { log: false });
    for (const sg of SURROGATES) expect(psnFusedAvailable(sg), sg.name).toBe(true);
    expect(psnFusedAvailable(custom)).toBe(false);
    await useBackend("cpu", { log: false });
    expect(psnFusedAvailable(atan(2))).toBe(false);
    await useBackend(startBackend, { log: false });
  });

  for (const sg of SURROGATES) {
    it(`${sg.name} tie ${sg.tie}: spikes identical, dL/dx, dL/dW, dL/db within 1e-6 over T, N`, async () => {
      await useBackend("wasm", { log: false });
      for (const [T, N] of SIZES) {
        const f = run(psnForward, sg, T, N, T * 7 + N), r = run(psnForwardOps, sg, T, N, T * 7 + N);
        expectClose(f[0]!, r[0]!, 0, `S [${T}, ${N}]`);
        ["dL/dx", "dL/dW", "dL/db"].forEach((what, k) => expectClose(f[k + 1]!, r[k + 1]!, 1e-6, `${what} [${T}, ${N}]`));
      }
      await useBackend(startBackend, { log: false });
    });
  }

  it("wasm (fused) == cpu (op path) at T = 16, N = 2^12 within 1e-6", async () => {
    const res: Record<string, Float32Array[]> = {};
    for (const rung of ["wasm", "cpu"] as const) {
      await useBackend(rung, { log: false });
      res[rung] = run(psnForward, atan(2), 16, 4096, 3);
    }
    await useBackend(startBackend, { log: false });
    expectClose(res.wasm![0]!, res.cpu![0]!, 0, "S");
    for (let k = 1; k < 4; k++) expectClose(res.wasm![k]!, res.cpu![k]!, 1e-6, `gradient ${k}`);
  });

  it("is one forward and one backward kernel, leaks nothing, and `fused: false` or a user-made surrogate take the op path", async () => {
    await useBackend("wasm", { log: false });
    const x = tf.randomNormal([8, 100], 0, 1, "float32", 1), w = tf.randomNormal([8, 8], 0, 0.3, "float32", 2) as tf.Tensor2D;
    const b = tf.fill([8, 1], -0.5) as tf.Tensor2D;
    const step = (opts?: { fused?: boolean }, sg: Surrogate = atan(2)) => tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(psnForward(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, sg, opts)))([x, w, b]).forEach((t) => t.dispose());
    step();
    const n = tf.memory().numTensors, ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const names = async (f: () => void) => (await tf.profile(f)).kernels.map((k) => k.name);
    const fused = await names(() => step());
    expect(fused.filter((k) => k === PSN_KERNEL)).toHaveLength(1);
    expect(fused.filter((k) => k === PSN_GRAD_KERNEL)).toHaveLength(1);
    expect(fused).not.toContain("BatchMatMul");
    for (const ops of [await names(() => step({ fused: false })), await names(() => step(undefined, custom))]) {
      expect(ops).not.toContain(PSN_KERNEL);
      expect(ops).toContain("BatchMatMul");
    }
    expect(tf.memory().numTensors).toBe(n);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
    tf.dispose([x, w, b]);
    await useBackend(startBackend, { log: false });
  });

  it("PSN and MaskedPSN modules: variable gradients equal the op path (masked weight, λ < 1 and λ = 1)", async () => {
    await useBackend("wasm", { log: false });
    const x = tf.randomNormal([6, 3, 10], 0.5, 1, "float32", 4), g = tf.randomNormal([6, 3, 10], 0, 1, "float32", 5);
    const psn = new PSN(6, { seed: 1 }), masked = new MaskedPSN(2, 6, { seed: 2, lambdaInit: 0.4 });
    for (const [m, lambdas] of [[psn, [0]], [masked, [0.4, 1]]] as const) {
      for (const lam of lambdas) {
        if (m instanceof MaskedPSN) m.lambda = lam;
        const vars = m.parameters().map((p) => p.variable);
        const grad = (fused: boolean) => {
          const { grads } = tf.variableGrads(() => {
            const w = m instanceof MaskedPSN ? m.maskedWeight() : (m.weight as tf.Tensor2D);
            return tf.sum(tf.mul(psnForward(x, w, m.bias as tf.Tensor2D, m.surrogate, { fused }), g)) as tf.Scalar;
          }, vars);
          const out = vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
          tf.dispose(Object.values(grads));
          return out;
        };
        const f = grad(true), r = grad(false);
        f.forEach((a, i) => expectClose(a, r[i]!, 1e-6, `${m.constructor.name} λ=${lam} parameter ${i}`));
        expect(Array.from(m.forward(x).dataSync())).toEqual(Array.from(psnForward(x, m instanceof MaskedPSN ? m.maskedWeight() : m.weight as tf.Tensor2D, m.bias as tf.Tensor2D, m.surrogate, { fused: false }).dataSync()));
      }
    }
    await useBackend(startBackend, { log: false });
  });
});
