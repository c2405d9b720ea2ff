/**
 * The IMP paper's convergence toy (papers.md §3.7, Fig. 5 static input and Fig. 8 dynamic input), shared by
 * `fig5.ts` and `fig8.ts`.
 *
 * Network: Linear(16, 256) → IF → Linear(256, 256) → IF → Linear(256, 256) → IF → Linear(256, 16), no biases,
 * SpikingJelly IF with soft reset (V_th = 1, `vReset = null`), Sigmoid(α = 4) surrogate, reset not detached;
 * PyTorch's default Linear init W ~ U(±1/√fan_in). Every loss trains a copy of one seeded initialisation
 * with Adam (lr 1e-3, β 0.9/0.999, ε 1e-8, no decay) on the full batch, with 16 random labels:
 *
 *   static  (Fig. 5): x ~ U[0, 1)^{1024×16}, the same x at every time step; SDT, TET and LTS; each curve is
 *                     the loss being minimised;
 *   dynamic (Fig. 8): x ~ U[0, 1)^{T×512×16}, a fresh draw for every time step (drawn once per run, as the
 *                     official script does); SDT and TET; the TET curve is CE(mean_t O_t, y), the SDT loss
 *                     evaluated on the TET-trained network, so both curves measure the same quantity.
 *
 * The loop is written out here (not `train()`) because the figure needs the per-step loss of one full batch
 * and the exact shared starting point, and nothing else the trainer offers.
 */
import { tf } from "../../lib/backend/tf.js";
import type { NamedParameter } from "../../lib/layers/module.js";
import { ltsLoss } from "../../lib/losses/lts.js";
import { sdtLoss } from "../../lib/losses/sdt.js";
import { tetLoss } from "../../lib/losses/tet.js";
import { ifMultiStep } from "../../lib/neurons/if.js";
import { sigmoid } from "../../lib/surrogate.js";
import { lineChart, panels, VEGA_LITE_SCHEMA } from "../../lib/plot/charts.js";
import type { ItemResult, RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { namedGrads } from "../../lib/train/named-grads.js";
import { Adam } from "../../lib/train/optimizers.js";
import { Rng } from "../../lib/util/random.js";

export type ToyLoss = "sdt" | "tet" | "lts";
export type ToyInput = "static" | "dynamic";

/** Layer widths of the toy MLP. */
export const TOY_WIDTHS = [16, 256, 256, 256, 16] as const;
export const TOY_CLASSES = 16;
/** The paper's T grid (the official scripts' shipped SVGs). */
export const PAPER_TS = [1, 2, 4, 6, 8, 12, 16, 24, 32];
export const PAPER_STEPS = 1000;
export const TOY_LR = 1e-3;
/** Samples per full batch: 1024 static (Fig. 5), 512 dynamic (Fig. 8). */
export const TOY_BATCH: Record<ToyInput, number> = { static: 1024, dynamic: 512 };

let varUid = 0;
const IF_PARAMS = { vThreshold: 1, vReset: null, detachReset: false, surrogate: sigmoid(4) } as const;

/** One seeded initialisation: the four weight matrices `[in, out]`, each U(±1/√in). */
export function toyInit(seed: number): tf.Tensor2D[] {
  return TOY_WIDTHS.slice(0, -1).map((fanIn, l) => {
    const bound = 1 / Math.sqrt(fanIn);
    return tf.randomUniform([fanIn, TOY_WIDTHS[l + 1]!], -bound, bound, "float32", seed * 101 + l) as tf.Tensor2D;
  });
}

/**
 * Forward pass: x `[T, B, 16]` → logits `[T, B, 16]`. The linear layers see every time step at once
 * (folded `[T·B, F]`); each IF layer is one fused multi-step kernel from V₀ = 0.
 */
export function toyForward(weights: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const [T, B] = x.shape as [number, number, number];
    let h: tf.Tensor = x;
    weights.forEach((w, l) => {
      const y = tf.matMul(tf.reshape(h, [T * B, w.shape[0]!]), w as tf.Tensor2D).reshape([T, B, w.shape[1]!]);
      h = l < weights.length - 1 ? ifMultiStep(y, 0, IF_PARAMS).spikes : y;
    });
    return h as tf.Tensor3D;
  });
}

/** The objective minimised by each loss (time-first outputs, papers.md §3.2). */
export function toyObjective(loss: ToyLoss, out: tf.Tensor, labels: Int32Array): tf.Scalar {
  if (loss === "sdt") return sdtLoss(out, labels);
  if (loss === "tet") return tetLoss(out, labels);
  return ltsLoss(out, labels);
}

export interface ToyData {
  input: ToyInput;
  T: number;
  /** `[T, B, 16]` (static: one `[B, 16]` draw tiled over T). */
  x: tf.Tensor3D;
  labels: Int32Array;
}

/** The data of one T: inputs and labels from `seed` (the same for every loss of that T). */
export function toyData(input: ToyInput, T: number, seed: number, batch = TOY_BATCH[input]): ToyData {
  const rng = new Rng(seed * 7 + 3);
  const labels = Int32Array.from({ length: batch }, () => rng.int(TOY_CLASSES));
  const x = tf.tidy(() => input === "static"
    ? tf.tile(tf.randomUniform([1, batch, TOY_WIDTHS[0]], 0, 1, "float32", seed * 13 + 1), [T, 1, 1])
    : tf.randomUniform([T, batch, TOY_WIDTHS[0]], 0, 1, "float32", seed * 13 + 2)) as tf.Tensor3D;
  return { input, T, x, labels };
}

export interface ToyRun {
  loss: ToyLoss;
  T: number;
  /** The plotted quantity before each update (length = steps). */
  curve: number[];
  /**
   * CE(mean_t O_t, y) before each update, for every loss: one yardstick across losses (the SDT loss; the
   * paper's dynamic-input TET curve). At step 0 it is the same for every loss, since all start from one init.
   */
  ceMean: number[];
  /** Seconds of the whole run. */
  seconds: number;
}

/**
 * Train one loss from a copy of `init` for `steps` full-batch Adam steps and record the curve: the
 * loss itself, except TET on dynamic input where the curve is CE(mean_t O_t, y) (papers.md §3.7).
 * `onStep` is called after every update (progress bars).
 */
export function trainToy(loss: ToyLoss, init: readonly tf.Tensor[], data: ToyData, steps: number, onStep?: (step: number, value: number) => void): ToyRun {
  const t0 = performance.now();
  // A fresh copy of the shared initialisation: every loss starts from identical weights, and `init`
  // itself is never updated (variables get new buffers on assign).
  const vars = init.map((w, l) => {
    const copy = w.clone();
    const v = tf.variable(copy, true, `toy_${loss}_T${data.T}_l${l}_${varUid++}`);
    copy.dispose();
    return v;
  });
  const params: NamedParameter[] = vars.map((v, l) => ({ name: `l${l}.weight`, variable: v, group: "weight" }));
  const opt = new Adam({ beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const curveIsMean = data.input === "dynamic" && loss === "tet";
  const curve: number[] = [], ceMean: number[] = [];
  for (let s = 0; s < steps; s++) {
    let mean: tf.Tensor | null = null;
    const { value, grads } = namedGrads(params, () => {
      const out = toyForward(vars, data.x);
      mean = tf.keep(sdtLoss(out, data.labels));
      return toyObjective(loss, out, data.labels);
    });
    const m = (mean as tf.Tensor | null)!;
    const ce = m.dataSync()[0]!;
    ceMean.push(ce);
    curve.push(curveIsMean ? ce : value.dataSync()[0]!);
    m.dispose();
    value.dispose();
    opt.apply(params, grads, TOY_LR);
    Object.values(grads).forEach((g) => g.dispose());
    onStep?.(s, curve[s]!);
  }
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return { loss, T: data.T, curve, ceMean, seconds: (performance.now() - t0) / 1000 };
}

/** First step (0-based) whose curve value is ≤ `threshold`, or null if never reached. */
export function stepsToThreshold(curve: readonly number[], threshold: number): number | null {
  const i = curve.findIndex((v) => v <= threshold);
  return i < 0 ? null : i;
}

/** What each scale runs (every report states it). */
export interface ConvergenceSetting {
  Ts: number[];
  steps: number;
  batch: number;
}

/**
 * Scales (decision "IMP figures 4, 5, 6, 8"): paper = the full setting; small = the paper's batch and T up to
 * 16 with fewer steps, to fit an hour on two cores with wasm (the full static setting is ≈ 10 CPU hours);
 * smoke = T ∈ {1, 4, 16}, 60 steps (dynamic input: 100, so that T = 4 and 16 reach the threshold and the summary's
 * steps-to-threshold panel draws curves) and a batch of 32, a pipeline check of about a minute.
 */
export const CONVERGENCE_SETTINGS: Record<ToyInput, Record<Scale, ConvergenceSetting>> = {
  static: {
    smoke: { Ts: [1, 4, 16], steps: 60, batch: 32 },
    small: { Ts: [1, 2, 4, 8, 16], steps: 300, batch: TOY_BATCH.static },
    paper: { Ts: PAPER_TS, steps: PAPER_STEPS, batch: TOY_BATCH.static },
  },
  dynamic: {
    smoke: { Ts: [1, 4, 16], steps: 100, batch: 32 },
    small: { Ts: [1, 2, 4, 8, 16], steps: 600, batch: TOY_BATCH.dynamic },
    paper: { Ts: PAPER_TS, steps: PAPER_STEPS, batch: TOY_BATCH.dynamic },
  },
};

export const TOY_LOSSES: Record<ToyInput, ToyLoss[]> = { static: ["sdt", "tet", "lts"], dynamic: ["sdt", "tet"] };
/** Loss level (nats) for "steps to threshold"; ln 16 ≈ 2.77 is the loss of a network that outputs nothing. */
export const THRESHOLD = 1.0;

const LABEL: Record<ToyLoss, string> = { sdt: "SDT", tet: "TET", lts: "LTS" };

export interface ConvergenceSummary {
  T: number;
  loss: ToyLoss;
  /** First step whose plotted loss is ≤ THRESHOLD (null: never within the run). */
  stepsToThreshold: number | null;
  /** Same on CE(mean_t O_t, y), the common yardstick. */
  stepsToThresholdCeMean: number | null;
  finalLoss: number;
  finalCeMean: number;
  seconds: number;
}

export function summarise(r: ToyRun): ConvergenceSummary {
  return {
    T: r.T, loss: r.loss,
    stepsToThreshold: stepsToThreshold(r.curve, THRESHOLD),
    stepsToThresholdCeMean: stepsToThreshold(r.ceMean, THRESHOLD),
    finalLoss: r.curve[r.curve.length - 1]!, finalCeMean: r.ceMean[r.ceMean.length - 1]!, seconds: r.seconds,
  };
}

/** "faster" / "slower" / "same" / "neither" than SDT by steps to threshold (not reached = never). */
export function compareToSdt(candidate: number | null, sdt: number | null): "faster" | "slower" | "same" | "neither" {
  if (candidate === null && sdt === null) return "neither";
  if (candidate === null) return "slower";
  if (sdt === null) return "faster";
  return candidate < sdt ? "faster" : candidate > sdt ? "slower" : "same";
}

/**
 * The paper's qualitative claim, measured: at which T > 1 each loss reached the threshold before SDT, and at
 * which T it ended lower than SDT (`yardstick` "curve": each loss's plotted curve; "ceMean": CE of the mean
 * output for every loss).
 */
export function measuredStatement(summary: ConvergenceSummary[], losses: ToyLoss[], yardstick: "curve" | "ceMean"): string {
  const Ts = [...new Set(summary.map((r) => r.T))].filter((T) => T > 1);
  const get = (T: number, l: ToyLoss) => summary.find((r) => r.T === T && r.loss === l)!;
  const steps = (r: ConvergenceSummary) => (yardstick === "curve" ? r.stepsToThreshold : r.stepsToThresholdCeMean);
  const final = (r: ConvergenceSummary) => (yardstick === "curve" ? r.finalLoss : r.finalCeMean);
  const words: Record<string, string> = { faster: "sooner", slower: "later (or never)", same: "at the same step", neither: "neither reached it" };
  const set = (xs: number[]) => `T ∈ {${xs.join(", ")}}`;
  return losses.filter((l) => l !== "sdt").map((l) => {
    const by: Record<string, number[]> = { faster: [], slower: [], same: [], neither: [] };
    for (const T of Ts) by[compareToSdt(steps(get(T, l)), steps(get(T, "sdt")))]!.push(T);
    const reach = Object.entries(by).filter(([, xs]) => xs.length).map(([k, xs]) => `${words[k]} at ${set(xs)}`).join("; ");
    const lower = Ts.filter((T) => final(get(T, l)) < final(get(T, "sdt")));
    const higher = Ts.filter((T) => final(get(T, l)) >= final(get(T, "sdt")));
    const fin = [lower.length ? `lower at ${set(lower)}` : "", higher.length ? `not lower at ${set(higher)}` : ""].filter(Boolean).join("; ");
    return `${LABEL[l]} vs SDT — threshold reached ${reach}; final loss ${fin}`;
  }).join(". ");
}

function stepsTable(summary: ConvergenceSummary[], losses: ToyLoss[], field: "stepsToThreshold" | "stepsToThresholdCeMean"): string {
  const Ts = [...new Set(summary.map((r) => r.T))];
  return Ts.map((T) => `T = ${T}: ${losses.map((l) => {
    const v = summary.find((r) => r.T === T && r.loss === l)![field];
    return `${LABEL[l]} ${v ?? "—"}`;
  }).join(", ")}`).join("; ");
}

/** Small multiples: one panel per T, one line per loss (curves thinned to ≤ ~250 points for drawing). */
export function curvesSpec(runs: ToyRun[], title: string, yTitle: string): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  for (const r of runs) {
    const every = Math.max(1, Math.ceil(r.curve.length / 250));
    r.curve.forEach((v, i) => { if (i % every === 0 || i === r.curve.length - 1) rows.push({ T: r.T, step: i, value: v, loss: LABEL[r.loss] }); });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values: rows },
    facet: { field: "T", type: "ordinal", title: "time steps T", header: { labelExpr: "'T = ' + datum.value" } },
    columns: 3,
    spec: {
      width: 200, height: 140,
      layer: [
        { mark: { type: "line", strokeWidth: 1.5 }, encoding: {
          x: { field: "step", type: "quantitative", title: "training step (full batch)" },
          y: { field: "value", type: "quantitative", title: yTitle, scale: { domainMin: 0 } },
          color: { field: "loss", type: "nominal", title: "loss", sort: runs.map((r) => LABEL[r.loss]).filter((v, i, a) => a.indexOf(v) === i) },
        } },
        { mark: { type: "rule", color: "grey", strokeDash: [4, 4] }, encoding: { y: { datum: THRESHOLD } } },
      ],
    },
  };
}

/** A summary line chart whose loss colours follow the curves' order (SDT, TET, LTS), not the alphabet. */
function summaryChart(o: Parameters<typeof lineChart>[0], order: string[]): Record<string, unknown> {
  const spec = lineChart(o);
  const enc = (spec.layer as { encoding: Record<string, Record<string, unknown>> }[])[0]!.encoding;
  enc.color = { ...enc.color, sort: order };
  return spec;
}

/**
 * Run the whole figure (Fig. 5 static, Fig. 8 dynamic) at the context's scale; `setting` replaces the scale's
 * setting (tests run a tiny one through the same code).
 */
export async function runConvergence(ctx: RunContext, input: ToyInput, setting?: ConvergenceSetting): Promise<ItemResult> {
  const fig = input === "static" ? "Fig. 5" : "Fig. 8";
  const name = input === "static" ? "fig5" : "fig8";
  const s = setting ?? CONVERGENCE_SETTINGS[input][ctx.scale];
  const losses = TOY_LOSSES[input];
  const bar = ctx.progress(`imp:${name} training`, s.Ts.reduce((a, T) => a + T, 0) * s.steps * losses.length);
  const init = toyInit(ctx.seed); // one initialisation, copied by every (T, loss) run
  const runs: ToyRun[] = [];
  for (const T of s.Ts) {
    const data = toyData(input, T, ctx.seed, s.batch);
    for (const loss of losses) {
      runs.push(trainToy(loss, init, data, s.steps, (step, v) => bar.tick(T, `T=${T} ${LABEL[loss]} step ${step + 1}/${s.steps} loss ${v.toFixed(3)}`)));
    }
    data.x.dispose();
  }
  bar.finish();
  tf.dispose(init);
  const summary = runs.map(summarise);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  const curveWhat = input === "static"
    ? "each curve is the loss being minimised (TET: the mean per-step CE; by convexity it is ≥ CE of the mean output on the same network)"
    : "SDT: its loss; TET: CE of the mean output of the TET-trained network (the official script's monitor), so both curves measure the same quantity";
  const full = CONVERGENCE_SETTINGS[input].paper;
  const isFull = s.steps === full.steps && s.batch === full.batch && s.Ts.join() === full.Ts.join();
  const reduced = isFull ? `Scale ${ctx.scale}: the paper's full setting.` :
    `Reduced scale (${ctx.scale}): T ∈ {${s.Ts.join(", ")}} (paper {${full.Ts.join(", ")}}), ${s.steps} steps (paper ${full.steps}), batch ${s.batch} (paper ${full.batch}).`;
  const perStep = (T: number) => runs.filter((r) => r.T === T).reduce((a, r) => a + r.seconds / r.curve.length, 0) / losses.length;
  const tMax = s.Ts[s.Ts.length - 1]!;
  const statement = measuredStatement(summary, losses, "curve");
  const order = losses.map((l) => LABEL[l]);
  const summaryRows = summary.flatMap((r) => [
    { T: r.T, loss: LABEL[r.loss], "steps to threshold": r.stepsToThreshold, "final loss": r.finalLoss },
  ]);
  return {
    title: `Convergence of ${losses.map((l) => LABEL[l]).join(", ")} on the toy network (${input} input)`,
    data: { input, setting: s, threshold: THRESHOLD, summary, curves: runs.map((r) => ({ T: r.T, loss: r.loss, curve: r.curve, ceMean: r.ceMean })) },
    reproduced: [],
    figures: [
      { name, spec: curvesSpec(runs, `IMP ${fig}: training loss vs step, ${input} input (${ctx.scale}; dashed: threshold ${THRESHOLD})`, "loss (nats)") },
      {
        name: `${name}-summary`,
        spec: panels(`IMP ${fig} summary (${ctx.scale}): steps to loss ≤ ${THRESHOLD} and final loss per T`, [
          summaryChart({ data: summaryRows, x: "T", y: "steps to threshold", color: "loss", logX: true, title: `steps to loss ≤ ${THRESHOLD} (missing: not reached)`, xTitle: "time steps T", yTitle: "training steps", width: 300 }, order),
          summaryChart({ data: summaryRows, x: "T", y: "final loss", color: "loss", logX: true, title: `loss after ${s.steps} steps`, xTitle: "time steps T", yTitle: "loss (nats)", width: 300 }, order),
        ]),
      },
    ],
    notes: [
      reduced,
      `Toy MLP 16-256-256-256-16 without biases, IF soft reset (V_th 1, Sigmoid α = 4, not detached), Adam lr ${TOY_LR}, full batch of ${s.batch}, 16 random labels; every loss starts from a copy of one seeded initialisation (seed ${ctx.seed}). Input: ${input === "static" ? "x ~ U[0,1)^{B×16} repeated over T" : "x ~ U[0,1)^{T×B×16}, a different draw at every time step"}.`,
      `Curves: ${curveWhat}.${s.Ts.includes(1) ? " At T = 1 the losses are the same function (mean = last = only step), so their curves coincide." : ""}`,
      `Measured (no numeric claim exists; the paper's qualitative claim: ${input === "static" ? "TET and LTS converge faster than SDT as T grows" : "TET converges faster than SDT as T grows, also with dynamic input"}), steps to loss ≤ ${THRESHOLD} on each plotted curve — ${stepsTable(summary, losses, "stepsToThreshold")}. ${statement}.`,
      ...(input === "static" ? [`Same comparison on CE of the mean output for every loss — ${stepsTable(summary, losses, "stepsToThresholdCeMean")}. ${measuredStatement(summary, losses, "ceMean")}.`] : []),
      `Training time ${seconds.toFixed(0)} s in all; ${(perStep(tMax) * 1000).toFixed(0)} ms per step at T = ${tMax}.`,
    ],
  };
}
