/**
 * IMP paper, Fig. 6 — time of an IF neuron with vs without a learnable IMP (papers.md §3.6, §3.7).
 *
 * Protocol (IMP-SNN `etc/speed benchmark/if_backward.py`, re-implemented): x ∈ R^{T×N} (here `[T, 1, N]`:
 * batch 1, N neurons, so the IMP is one value per neuron, shape `[1, N]`, init U(−0.2, 0.2) as `IFIMP`);
 * SpikingJelly's default IF (V_th 1, hard reset to 0, Sigmoid(α = 4), reset not detached); the graph is
 * `out = sn(x)` then 9 × `out = out + sn(out)` with the neuron's state carried from call to call (no reset
 * in between, as SpikingJelly does), and the MSE to a random target. Both arms use the fused multi-step IF
 * kernels (the library default) and differentiate with respect to x, plus the IMP in the IMP arm.
 *
 * Timing: one warm-up per arm, then pairs of runs alternating the two arms (so drift on a shared machine hits
 * both) until each arm has run a time budget (see {@link GRID}); each run records forward (graph + loss read
 * back) and backward (one gradient element read back) separately; the backends here run ops synchronously,
 * so the split is exact. Per cell we report medians; the claim value
 * is the median over the grid of the per-cell ratio T(with IMP) / T(without), forward + backward.
 * The paper timed only the backward pass on a GPU (CUDA events, divided by 10); backward-only ratios are
 * reported beside the claim.
 */
import { tf } from "../../lib/backend/tf.js";
import { lineChart, panels } from "../../lib/plot/charts.js";
import { IFNode } from "../../lib/neurons/if.js";
import { IMP_INIT } from "../../lib/neurons/imp.js";
import type { ItemResult, RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { median } from "../../lib/util/timing.js";

export const PAPER_LOG_NS = [8, 12, 16, 20];
export const PAPER_TS = [2, 4, 8, 16, 32];
/** Calls of the neuron in the benchmark graph (1 + 9 residual calls). */
export const CALLS = 10;

/**
 * Grid and repeat rule per scale: alternating pairs of runs until each arm has run `minSeconds` in total, with
 * at least `minRepeats` and at most `maxRepeats` pairs — cheap cells get many repeats (they are dispatch-bound
 * and noisy), the largest cells (seconds a run) get `minRepeats`.
 */
export const GRID: Record<Scale, { logNs: number[]; Ts: number[]; minRepeats: number; maxRepeats: number; minSeconds: number }> = {
  smoke: { logNs: [8, 12, 14], Ts: [2, 8, 32], minRepeats: 5, maxRepeats: 60, minSeconds: 0.3 },
  small: { logNs: PAPER_LOG_NS, Ts: PAPER_TS, minRepeats: 3, maxRepeats: 100, minSeconds: 1 },
  paper: { logNs: PAPER_LOG_NS, Ts: PAPER_TS, minRepeats: 5, maxRepeats: 200, minSeconds: 3 },
};

export interface RepeatRule {
  minRepeats: number;
  maxRepeats: number;
  minSeconds: number;
}

export interface ArmTiming {
  forwardMs: number;
  backwardMs: number;
  totalMs: number;
}

export interface TimingRow {
  N: string;
  logN: number;
  T: number;
  repeats: number;
  without: ArmTiming;
  withImp: ArmTiming;
  /** T(with IMP) / T(without), forward + backward. */
  ratio: number;
  /** Same, backward only (the paper's timed region). */
  backwardRatio: number;
}

export interface BenchArm {
  node: IFNode;
  /** Differentiated variables: x, and the IMP in the IMP arm. */
  vars: tf.Variable[];
}

/** The benchmark graph's loss: out = sn(x); 9 × out = out + sn(out); MSE(out, target). */
export function benchLoss(node: IFNode, x: tf.Tensor, target: tf.Tensor): tf.Scalar {
  let out = node.forward(x);
  for (let i = 1; i < CALLS; i++) out = tf.add(out, node.forward(out));
  return tf.mean(tf.square(tf.sub(out, target))) as tf.Scalar;
}

/** Both arms on one x (a trainable variable so both differentiate with respect to it). */
export function makeArms(x: tf.Variable, seed: number): { without: BenchArm; withImp: BenchArm } {
  const without = new IFNode();
  const withImpNode = new IFNode({ imp: { init: IMP_INIT.legacy, seed: seed + 17 } });
  const probe = tf.tidy(() => tf.slice(x, [0, 0, 0], [1, 1, x.shape[2]!]));
  withImpNode.forward(probe).dispose(); // materialises the IMP [1, N]
  withImpNode.reset();
  probe.dispose();
  return { without: { node: without, vars: [x] }, withImp: { node: withImpNode, vars: [x, withImpNode.imp!.variable!] } };
}

/** One forward + backward with the split recorded; returns the gradients' names too (tests inspect them). */
export function runOnce(arm: BenchArm, x: tf.Tensor, target: tf.Tensor): ArmTiming & { gradNames: string[]; impGradAbsSum: number | null } {
  arm.node.reset();
  let t1 = 0;
  const t0 = performance.now();
  const { value, grads } = tf.variableGrads(() => {
    const l = benchLoss(arm.node, x, target);
    l.dataSync();
    t1 = performance.now();
    return l;
  }, arm.vars);
  // Reading one element of x's gradient waits for the whole backward pass on any backend (the IMP's gradient
  // comes out of the same last kernel); both arms read exactly the same thing, so the readback cost cancels.
  tf.tidy(() => tf.slice(tf.reshape(grads[arm.vars[0]!.name]!, [-1]), [0], [1]).dataSync());
  const t2 = performance.now();
  const imp = arm.node.imp?.variable;
  const impGrad = imp ? grads[imp.name] : undefined;
  const impGradAbsSum = impGrad ? tf.tidy(() => tf.sum(tf.abs(impGrad)).dataSync()[0]!) : null;
  const gradNames = Object.keys(grads);
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  arm.node.reset();
  return { forwardMs: t1 - t0, backwardMs: t2 - t1, totalMs: t2 - t0, gradNames, impGradAbsSum };
}

function summarise(runs: ArmTiming[]): ArmTiming {
  return { forwardMs: median(runs.map((r) => r.forwardMs)), backwardMs: median(runs.map((r) => r.backwardMs)), totalMs: median(runs.map((r) => r.totalMs)) };
}

let cellUid = 0;

/** Time one (N, T) cell: one warm-up per arm, then alternating pairs of runs per the repeat rule. */
export function measureCell(logN: number, T: number, rule: RepeatRule, seed = 0): TimingRow {
  const N = 2 ** logN;
  const x0 = tf.randomNormal([T, 1, N], 0, 1, "float32", seed);
  const x = tf.variable(x0, true, `fig6_x_${logN}_${T}_${seed}_${cellUid++}`);
  x0.dispose();
  const target = tf.randomNormal([T, 1, N], 0, 1, "float32", seed + 1);
  const arms = makeArms(x, seed);
  try {
    const a: ArmTiming[] = [], b: ArmTiming[] = [];
    runOnce(arms.without, x, target);
    runOnce(arms.withImp, x, target);
    const spent = (xs: ArmTiming[]) => xs.reduce((acc, r) => acc + r.totalMs, 0) / 1000;
    for (let r = 0; r < rule.maxRepeats && (r < rule.minRepeats || Math.min(spent(a), spent(b)) < rule.minSeconds); r++) {
      if (r % 2 === 0) { a.push(runOnce(arms.without, x, target)); b.push(runOnce(arms.withImp, x, target)); }
      else { b.push(runOnce(arms.withImp, x, target)); a.push(runOnce(arms.without, x, target)); }
    }
    const without = summarise(a), withImp = summarise(b);
    return { N: `2^${logN}`, logN, T, repeats: a.length, without, withImp, ratio: withImp.totalMs / without.totalMs, backwardRatio: withImp.backwardMs / without.backwardMs };
  } finally {
    arms.without.node.dispose();
    arms.withImp.node.dispose();
    x.dispose();
    target.dispose();
  }
}

/**
 * Largest T·N the wasm backend holds: the 10-call graph keeps a few hundred bytes of tensors per element of x
 * until the backward pass (every call's S, V, H and the tape's saved copies), and wasm's heap is at most 4 GiB
 * (measured with this library: 2^23 elements run, 2^24 abort). Other backends try every cell; a failure
 * there is caught and reported.
 */
export const WASM_MAX_ELEMENTS = 2 ** 23;

/** Why a cell cannot run on the current backend, or null. */
export function cellTooLarge(logN: number, T: number, backend = tf.getBackend()): string | null {
  const elements = T * 2 ** logN;
  if (backend !== "wasm" || elements <= WASM_MAX_ELEMENTS) return null;
  return `T·N = 2^${Math.log2(elements)} elements: the 10-call graph's tensors exceed the wasm heap (2^${Math.log2(WASM_MAX_ELEMENTS)} elements is the largest cell that runs)`;
}

/**
 * A line chart whose N legend is in numeric order. Without point markers, so the dash legend draws the two
 * dash styles (with markers vega-lite draws them as identical dots).
 */
function timingChart(o: Parameters<typeof lineChart>[0], nOrder: string[]): Record<string, unknown> {
  const spec = lineChart({ ...o, points: false });
  const enc = (spec.layer as { encoding: Record<string, Record<string, unknown>> }[])[0]!.encoding;
  enc.color = { ...enc.color, sort: nOrder };
  return spec;
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  const g = GRID[ctx.scale];
  const bar = ctx.progress("imp:fig6 timing", g.logNs.length * g.Ts.length);
  const rows: TimingRow[] = [];
  const skipped: string[] = [];
  measureCell(8, 2, { minRepeats: 3, maxRepeats: 3, minSeconds: 0 }, ctx.seed); // process-level warm-up (JIT, kernel registration), discarded
  for (const logN of g.logNs) for (const T of g.Ts) {
    // A cell too large for the backend's memory is reported, not hidden.
    const tooLarge = cellTooLarge(logN, T);
    if (tooLarge) skipped.push(`N = 2^${logN}, T = ${T}: ${tooLarge}`);
    else {
      try {
        rows.push(measureCell(logN, T, g, ctx.seed));
      } catch (e) {
        skipped.push(`N = 2^${logN}, T = ${T}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    bar.tick(1, `N=2^${logN} T=${T}`);
  }
  bar.finish();
  const nOrder = g.logNs.map((n) => `2^${n}`);
  const ratio = rows.length ? median(rows.map((r) => r.ratio)) : null;
  const bwdRatio = rows.length ? median(rows.map((r) => r.backwardRatio)) : null;
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  const times = rows.flatMap((r) => [
    { T: r.T, N: r.N, IMP: "without IMP", "forward+backward (ms)": r.without.totalMs, "backward (ms)": r.without.backwardMs },
    { T: r.T, N: r.N, IMP: "with IMP", "forward+backward (ms)": r.withImp.totalMs, "backward (ms)": r.withImp.backwardMs },
  ]);
  const ratios = rows.flatMap((r) => [
    { T: r.T, N: r.N, ratio: r.ratio, pass: "forward+backward" },
    { T: r.T, N: r.N, ratio: r.backwardRatio, pass: "backward only" },
  ]);
  const reduced = ctx.scale === "smoke"
    ? `Reduced grid (smoke): N ∈ {${g.logNs.map((n) => `2^${n}`).join(", ")}}, T ∈ {${g.Ts.join(", ")}} instead of the paper's N ∈ {2^8, 2^12, 2^16, 2^20} × T ∈ {2, 4, 8, 16, 32}.`
    : "Full grid of the paper: N ∈ {2^8, 2^12, 2^16, 2^20} × T ∈ {2, 4, 8, 16, 32}.";
  return {
    title: "Forward+backward time of IF with and without IMP",
    data: { rows, skipped, protocol: { batch: 1, calls: CALLS, warmup: 1, statistic: "median", repeatRule: { minRepeats: g.minRepeats, maxRepeats: g.maxRepeats, minSeconds: g.minSeconds }, aggregate: "median over cells of the per-cell ratio" } },
    reproduced: [{
      claimId: "imp:fig6/imp-overhead",
      value: ratio,
      ...(ratio === null
        ? { note: "no cell could be measured" }
        : { note: `median over ${rows.length} (N, T) cells of T(with IMP)/T(without), forward+backward (range ${range(rows.map((r) => r.ratio))}); backward only: median ${bwdRatio!.toFixed(3)}` }),
    }],
    figures: [
      {
        name: "fig6",
        spec: panels("IMP Fig. 6: IF neuron, 10 calls, MSE — time with vs without IMP (this backend)", [
          timingChart({ data: times, x: "T", y: "forward+backward (ms)", color: "N", strokeDash: "IMP", logX: true, logY: true, title: "forward + backward", xTitle: "time steps T", yTitle: "median time (ms)", width: 300 }, nOrder),
          timingChart({ data: times, x: "T", y: "backward (ms)", color: "N", strokeDash: "IMP", logX: true, logY: true, title: "backward only (the paper's timed region)", xTitle: "time steps T", yTitle: "median time (ms)", width: 300 }, nOrder),
        ]),
      },
      {
        name: "fig6-ratio",
        spec: timingChart({ data: ratios, x: "T", y: "ratio", color: "N", strokeDash: "pass", logX: true, rule: 1, title: "Time with IMP ÷ time without IMP (1 = no overhead)", xTitle: "time steps T", yTitle: "ratio (×)" }, nOrder),
      },
    ],
    notes: [
      reduced,
      `Per cell: one warm-up run per arm (plus one discarded warm-up cell for the process), then alternating pairs of runs until each arm has run ${g.minSeconds} s (at least ${g.minRepeats}, at most ${g.maxRepeats} pairs; repeats per cell in the data); medians. Small-N cells take milliseconds and are dominated by op dispatch, so their ratios are the noisiest.`,
      "Claim value = median over the grid of the per-cell ratio T(with IMP)/T(without IMP), forward + backward (decision 'IMP figures 4, 5, 6, 8' in docs/DECISIONS.md). The backward-only median is in the claim's note; the paper timed only the backward pass on a GPU (cupy kernels), so only 'almost no difference' (ratio ≈ 1) is expected to carry over.",
      "Both arms run spikelab's fused IF kernels (one op per [T, N] sequence and one for its gradient); the IMP arm differs only in V₀ being a learnable [1, N] tensor whose gradient ∂L/∂V₀ the same backward kernel returns.",
      ...(skipped.length ? [`Cells not measured on this backend (${tf.getBackend()}): ${skipped.join("; ")}. The claim's median is over the measured cells; a backend without wasm's heap limit may cover them.`] : []),
    ],
  };
}
