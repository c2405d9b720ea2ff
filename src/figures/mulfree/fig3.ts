/**
 * Mul-free paper, Fig. 3 — the power-of-two quantiser Q(W) = sign(W)·2^round(log2|W|) (Eq. 13) and its
 * gradient under Eq. 15 (STE on the rounding only: Q′ = 2^round(log2|W|)/|W|, jumping at |W| = 2^{n+1/2})
 * vs Eq. 16 (STE over the whole quantiser: Q′ = 1). Values and gradients come from the library's
 * `quantizePow2` through autodiff on the running backend; the §5c worked values are compared exactly.
 */
import { tf } from "../../lib/backend/tf.js";
import { lineChart, panels } from "../../lib/plot/charts.js";
import type { ItemResult, RunContext } from "../../lib/repro/item.js";
import { quantizePow2, type QuantGrad } from "../../lib/neurons/quantize.js";

export function quantiserCurve(ws: number[], grad: QuantGrad): { q: number[]; dq: number[] } {
  const w = tf.tensor1d(ws);
  const q = Array.from(quantizePow2(w, grad).dataSync());
  const dq = Array.from(tf.grad((x: tf.Tensor) => tf.sum(quantizePow2(x, grad)))(w).dataSync());
  w.dispose();
  return { q, dq };
}

export async function run(_ctx: RunContext): Promise<ItemResult> {
  const ws = Array.from({ length: 400 }, (_, i) => 0.05 + i * 0.01);
  const e15 = quantiserCurve(ws, "eq15"), e16 = quantiserCurve(ws, "ste");
  const probe = [0.3, -0.75, 1.5], gprobe = [0.3, 0.35, 0.36];
  const qp = quantiserCurve(probe, "ste").q, gp = quantiserCurve(gprobe, "eq15").dq;
  return {
    title: "Power-of-two quantiser and its gradient under Eq. 15 vs Eq. 16",
    data: { w: ws, q: e16.q, gradEq15: e15.dq, gradEq16: e16.dq },
    reproduced: [
      ...probe.map((w, i) => ({ claimId: `mulfree:fig3/Q(${w})`, value: qp[i]! })),
      ...gprobe.map((w, i) => ({ claimId: `mulfree:fig3/eq15-grad(${w})`, value: gp[i]! })),
      { claimId: "mulfree:fig3/eq16-grad", value: Math.max(...e16.dq.map((g) => Math.abs(g - 1))) === 0 ? 1 : NaN, note: "Q′ = 1 at all 400 sampled W" },
    ],
    figures: [{
      name: "fig3",
      spec: panels("Mul-free Fig. 3: power-of-two quantiser", [
        lineChart({ data: ws.map((w, i) => ({ W: w, value: e16.q[i]!, curve: "Q(W)" })).concat(ws.map((w) => ({ W: w, value: w, curve: "identity" }))), x: "W", y: "value", color: "curve", points: false, title: "Q(W) = sign(W)·2^round(log2|W|)", xTitle: "weight W", yTitle: "quantised weight" }),
        lineChart({ data: ws.map((w, i) => ({ W: w, grad: e15.dq[i]!, rule: "Eq. 15" })).concat(ws.map((w, i) => ({ W: w, grad: e16.dq[i]!, rule: "Eq. 16 (used)" }))), x: "W", y: "grad", color: "rule", points: false, title: "Q′(W)", xTitle: "weight W", yTitle: "gradient dQ/dW" }),
      ]),
    }],
    notes: ["Exact at every scale (float32 autodiff through the library's quantiser)."],
  };
}
