import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/tf.js";
import { CALLS, GRID, PAPER_LOG_NS, PAPER_TS, WASM_MAX_ELEMENTS, benchLoss, cellTooLarge, makeArms, measureCell, runOnce } from "../../../src/figures/imp/fig6.js";
import { IFNode } from "../../../src/lib/neurons/if.js";
import { claimsFor } from "../../../src/figures/registry.js";

function setup(T: number, N: number, seed = 3) {
  const x0 = tf.randomNormal([T, 1, N], 0, 1, "float32", seed);
  const x = tf.variable(x0, true);
  x0.dispose();
  const target = tf.randomNormal([T, 1, N], 0, 1, "float32", seed + 1);
  return { x, target, arms: makeArms(x, seed) };
}

describe("IMP Fig. 6 timing module", () => {
  it("the IMP arm really has an IMP: a [1, N] parameter that changes the loss and receives a non-zero gradient", () => {
    const { x, target, arms } = setup(4, 64);
    const imp = arms.withImp.node.imp!.variable!;
    expect(imp.shape).toEqual([1, 64]);
    const vals = imp.dataSync();
    expect(Math.min(...vals)).toBeGreaterThanOrEqual(-0.2);
    expect(Math.max(...vals)).toBeLessThan(0.2);
    const a = runOnce(arms.without, x, target), b = runOnce(arms.withImp, x, target);
    expect(a.gradNames).toEqual([x.name]);
    expect(a.impGradAbsSum).toBeNull();
    expect(b.gradNames.sort()).toEqual([x.name, imp.name].sort());
    expect(b.impGradAbsSum).toBeGreaterThan(0);
    const l0 = tf.tidy(() => benchLoss(arms.without.node, x, target).dataSync()[0]!);
    arms.without.node.reset();
    const l1 = tf.tidy(() => benchLoss(arms.withImp.node, x, target).dataSync()[0]!);
    arms.withImp.node.reset();
    expect(l1).not.toBe(l0);
    tf.dispose([x, target]);
    arms.without.node.dispose();
    arms.withImp.node.dispose();
  });

  it("the fused kernels' IMP gradient through the 10-call graph equals the op-by-op reference", () => {
    const { x, target, arms } = setup(3, 32, 11);
    const imp = arms.withImp.node.imp!;
    const ref = new IFNode({ imp, fused: false }); // shares the same IMP parameter
    const gradOf = (node: IFNode) => {
      node.reset();
      const { value, grads } = tf.variableGrads(() => benchLoss(node, x, target), [x, imp.variable!]);
      const g = grads[imp.variable!.name]!.dataSync().slice();
      value.dispose();
      Object.values(grads).forEach((t) => t.dispose());
      node.reset();
      return g;
    };
    const fused = gradOf(arms.withImp.node), slow = gradOf(ref);
    expect(fused.some((v) => v !== 0)).toBe(true);
    fused.forEach((v, i) => expect(Math.abs(v - slow[i]!), `IMP[${i}]`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(slow[i]!))));
    tf.dispose([x, target]);
    arms.without.node.dispose();
    arms.withImp.node.dispose();
  });

  it("the graph is out = sn(x), then 9 × out = out + sn(out), the state carried from call to call (as SpikingJelly)", () => {
    // Plain-JS IF (V_th 1, hard reset to 0, fires at H ≥ 1) over the same graph, with and without carrying V.
    const simulate = (x: number[], carry: boolean) => {
      let v = 0;
      const sn = (inp: number[]): number[] => {
        if (!carry) v = 0;
        return inp.map((u) => { const h = v + u; const s = h >= 1 ? 1 : 0; v = s ? 0 : h; return s; });
      };
      let out: number[] = sn(x);
      for (let i = 1; i < CALLS; i++) { const s = sn(out); out = out.map((o, j) => o + s[j]!); }
      return out.reduce((a, o) => a + o * o, 0) / out.length; // MSE to a zero target
    };
    const xs = [1.0, -0.5]; // leaves V = −0.5 after the first call, which stops the next call's first spike
    expect(simulate(xs, true)).not.toBe(simulate(xs, false));
    const node = new IFNode();
    const x = tf.tensor3d(xs, [2, 1, 1]);
    const l = benchLoss(node, x, tf.zerosLike(x));
    expect(l.dataSync()[0]).toBeCloseTo(simulate(xs, true), 6);
    tf.dispose([x, l]);
    node.dispose();
  });

  it("measures one cell: positive times, medians of alternating repeats, ratios of the medians (no timing asserted)", () => {
    const r = measureCell(8, 2, { minRepeats: 3, maxRepeats: 4, minSeconds: 0 });
    expect(r.repeats).toBe(3);
    for (const arm of [r.without, r.withImp]) {
      expect(arm.forwardMs).toBeGreaterThan(0);
      expect(arm.backwardMs).toBeGreaterThan(0);
    }
    expect(r.ratio).toBeCloseTo(r.withImp.totalMs / r.without.totalMs, 10);
    expect(r.backwardRatio).toBeCloseTo(r.withImp.backwardMs / r.without.backwardMs, 10);
  });

  it("the paper and small scales cover the paper's grid; smoke is a reduced grid; one claim", () => {
    expect(GRID.paper.logNs).toEqual(PAPER_LOG_NS);
    expect(GRID.paper.Ts).toEqual(PAPER_TS);
    expect(GRID.small.logNs).toEqual([8, 12, 16, 20]);
    expect(GRID.small.Ts).toEqual([2, 4, 8, 16, 32]);
    expect(GRID.smoke.logNs.length * GRID.smoke.Ts.length).toBeLessThan(20);
    expect(claimsFor("imp", "fig6").map((c) => c.id)).toEqual(["imp:fig6/imp-overhead"]);
  });

  it("cells beyond the wasm heap are refused up front with a reason; other backends run every cell", () => {
    expect(cellTooLarge(20, 8, "wasm")).toBeNull(); // 2^23 elements: measured to fit
    expect(cellTooLarge(20, 16, "wasm")).toMatch(/2\^24 elements.*wasm heap/);
    expect(cellTooLarge(20, 32, "cpu")).toBeNull();
    expect(WASM_MAX_ELEMENTS).toBe(2 ** 23);
    for (const logN of GRID.smoke.logNs) for (const T of GRID.smoke.Ts) expect(cellTooLarge(logN, T, "wasm")).toBeNull();
  });
});
