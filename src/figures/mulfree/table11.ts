/**
 * Mul-free paper, Table 11 / Fig. 6 — training time per epoch vs T for PSN and the mul-free neuron under
 * each computation strategy, and with the automatic per-layer selection (Algorithm 1, `neurons/autoselect.ts`).
 *
 * Protocol (ours; the paper's network for these timings is not stated beyond "CIFAR100, batch 128"): the
 * sequential-CIFAR network (`seqCifarNet`, 100 classes) on CIFAR-shaped input `[T, B, 32, 1, 3]` (timings do
 * not depend on pixel values, so the input is seeded noise), one training step = forward + backward + AdamW
 * update. Per T all networks are built first and their steps timed interleaved round by round (one warm-up
 * round, then `steps` rounds; see `util/timing.ts`); the median step time is scaled to an epoch of 50 000
 * images: s/epoch = step time × ⌈50 000 / B⌉ (so the report says "extrapolated"), and the ratio to PSN is the
 * median of the per-round ratios. Autoselect's own selection time is reported as a share of that epoch, like
 * the paper's 1.17 % / 0.39 % / 0.27 %.
 * A CPU's absolute seconds cannot be compared with the paper's H20/A100 seconds (NOT-RUN); the cost relative
 * to PSN at the same T can, and is compared with the H20 rows.
 */
import { tf } from "../../lib/backend/tf.js";
import { lineChart } from "../../lib/plot/charts.js";
import type { ItemResult, Reproduced, RunContext } from "../../lib/repro/item.js";
import { claimsFor } from "../registry.js";
import type { Scale } from "../../lib/repro/verdict.js";
import type { Module } from "../../lib/layers/module.js";
import { autoselectStrategies, type AutoselectResult } from "../../lib/neurons/autoselect.js";
import { MULFREE_STRATEGIES, type MulFreeStrategy } from "../../lib/neurons/mulfree-psn.js";
import { neuronFactory, type NeuronKind } from "../../lib/models/neuron-factories.js";
import { seqCifarNet } from "../../lib/models/seq-cifar.js";
import { namedGrads } from "../../lib/train/named-grads.js";
import { adamW } from "../../lib/train/optimizers.js";
import { disposeModule, parametersOf, resetModule } from "../../lib/layers/module.js";
import { crossEntropy } from "../../lib/losses/cross-entropy.js";
import { median, medianPairedRatio, timeInterleaved } from "../../lib/util/timing.js";


export interface SpeedSetting { Ts: number[]; ks: number[]; batch: number; width: number; steps: number }

export function speedSetting(scale: Scale): SpeedSetting {
  if (scale === "smoke") return { Ts: [2, 8, 32], ks: [2, 8], batch: 8, width: 16, steps: 2 };
  if (scale === "small") return { Ts: [2, 4, 8, 16, 32], ks: [2, 4, 8], batch: 32, width: 64, steps: 5 };
  return { Ts: [2, 4, 8, 16, 32], ks: [2, 4, 8], batch: 128, width: 128, steps: 11 };
}

const EPOCH_IMAGES = 50_000;

export type SpeedVariant = "psn" | `k=${number}/${MulFreeStrategy | "autoselect"}`;

export interface SpeedRow {
  T: number;
  variant: SpeedVariant;
  /** Median step time over the timed rounds, ms. */
  stepMs: number;
  /** stepMs × ⌈50 000 / B⌉ steps, s (extrapolated). */
  epochS: number;
  /** Median over rounds of this network's step time ÷ PSN's in the same round. */
  ratioToPsn: number;
  selectionShare?: number;
  chosen?: string;
}

/** One training step of `model` (forward + backward + AdamW, its own optimiser) as a closure to time. */
export function trainingStep(model: Module, x: tf.Tensor, labels: Int32Array): { step: () => void; dispose: () => void } {
  const params = parametersOf(model);
  const opt = adamW({ weightDecay: 0.01 });
  const step = () => {
    resetModule(model);
    const { value, grads } = namedGrads(params, () => tf.tidy(() => crossEntropy(tf.mean(model.forward(x), 0) as tf.Tensor2D, labels)));
    value.dataSync();
    opt.apply(params, grads, 1e-3);
    Object.values(grads).forEach((g) => g.dispose());
    value.dispose();
  };
  return { step, dispose: () => opt.dispose() };
}

function build(kind: NeuronKind, T: number, s: SpeedSetting, k: number, strategy: MulFreeStrategy): Module {
  return seqCifarNet({ neuron: neuronFactory(kind, { k, strategy }), T, numClasses: 100, channels: s.width });
}

interface Arm { variant: SpeedVariant; model: Module; k?: number; selection?: AutoselectResult }

/** Every network timed at one T: PSN, then per k ≤ T each fixed strategy and the autoselected one. */
async function armsAt(T: number, s: SpeedSetting, x: tf.Tensor, seed: number): Promise<Arm[]> {
  const arms: Arm[] = [{ variant: "psn", model: build("psn", T, s, 1, "shift") }];
  for (const k of s.ks.filter((kk) => kk <= T)) {
    for (const strategy of MULFREE_STRATEGIES) arms.push({ variant: `k=${k}/${strategy}`, model: build("mulfree-psn", T, s, k, strategy) });
    const model = build("mulfree-psn", T, s, k, "shift");
    arms.push({ variant: `k=${k}/autoselect`, model, k, selection: await autoselectStrategies(model, x, { m: 2, seed }) });
  }
  return arms;
}

/** How many layers Algorithm 1 gave each strategy, e.g. "toeplitz ×2, shift ×1". */
function choiceSummary(selection: AutoselectResult): string {
  const chosen = selection.layers.map((l) => l.chosen);
  return [...new Set(chosen)].map((c) => `${c} ×${chosen.filter((x) => x === c).length}`).join(", ");
}

/**
 * Per T, every network's training step runs interleaved round by round (`timeInterleaved`: one warm-up round,
 * then `steps` rounds, the starting network rotating), so a slow phase of the machine hits all of them; a row's
 * step time is its median over rounds and its ratio to PSN the median of the per-round ratios.
 */
export async function trainingSpeed(ctx: RunContext): Promise<{ rows: SpeedRow[]; setting: SpeedSetting; selections: Record<string, unknown> }> {
  const s = speedSetting(ctx.scale);
  const perEpoch = Math.ceil(EPOCH_IMAGES / s.batch);
  const rows: SpeedRow[] = [];
  const selections: Record<string, unknown> = {};
  const bar = ctx.progress("Table 11 timings (rounds)", s.Ts.length * (s.steps + 1));
  for (const T of s.Ts) {
    const x = tf.randomNormal([T, s.batch, 32, 1, 3], 0, 1, "float32", ctx.seed + T);
    const labels = Int32Array.from({ length: s.batch }, (_, i) => i % 100);
    const arms: Arm[] = [];
    const steppers: ReturnType<typeof trainingStep>[] = [];
    try {
      arms.push(...(await armsAt(T, s, x, ctx.seed)));
      steppers.push(...arms.map((a) => trainingStep(a.model, x, labels)));
      const samples = timeInterleaved(Object.fromEntries(arms.map((a, i) => [a.variant, steppers[i]!.step])), { repeats: s.steps, warmup: 1, onRound: () => bar.tick(1, `T=${T}`) });
      for (const { variant, k, selection } of arms) {
        const stepMs = median(samples[variant]!);
        rows.push({
          T, variant, stepMs, epochS: (stepMs * perEpoch) / 1000, ratioToPsn: medianPairedRatio(samples[variant]!, samples.psn!),
          ...(selection ? { selectionShare: selection.overheadMs / (stepMs * perEpoch), chosen: choiceSummary(selection) } : {}),
        });
        if (selection) selections[`T=${T}/k=${k}`] = selection.layers.map((l) => ({ layer: l.name, shape: l.shape, timesMs: l.timesMs, chosen: l.chosen }));
      }
    } finally {
      steppers.forEach((st) => st.dispose());
      arms.forEach((a) => disposeModule(a.model));
      x.dispose();
    }
  }
  bar.finish();
  return { rows, setting: s, selections };
}

function reproducedOf(rows: SpeedRow[], scale: Scale): Reproduced[] {
  const out: Reproduced[] = [];
  for (const c of claimsFor("mulfree", "table11")) {
    const key = c.id.split("/").slice(1).join("/");
    const ratio = /^ratio\/k=(\d+)\/T=(\d+)$/.exec(key);
    if (ratio && scale === "smoke") {
      out.push({ claimId: c.id, value: null, note: "the smoke network (width 16, batch 8) is too small for a timing verdict; see data, or run --scale small" });
    } else if (ratio) {
      const r = rows.find((x) => x.T === +ratio[2]! && x.variant === `k=${ratio[1]}/autoselect`);
      out.push({ claimId: c.id, value: r ? r.ratioToPsn : null, ...(r ? { note: `measured on this CPU (${scale}), autoselect ÷ PSN step time, median of per-round ratios` } : { note: `T or k not in the ${scale} grid` }) });
    } else {
      out.push({ claimId: c.id, value: null, note: "GPU seconds per epoch; a CPU run is compared through the ratio rows instead" });
    }
  }
  return out;
}

function figure(rows: SpeedRow[], scale: Scale, name: string): ItemResult["figures"][number] {
  return {
    name,
    spec: lineChart({
      data: rows.filter((r) => r.variant === "psn" || r.variant.endsWith("autoselect") || r.variant.startsWith("k=2/")).map((r) => ({ T: r.T, "s/epoch (extrapolated)": r.epochS, variant: r.variant })),
      x: "T", y: "s/epoch (extrapolated)", color: "variant", logX: true, logY: true,
      title: `Mul-free Table 11 / Fig. 6: training time per epoch vs T (this CPU, scale ${scale})`, xTitle: "time steps T", yTitle: "seconds per epoch (extrapolated)",
    }),
  };
}

function notes(s: SpeedSetting, scale: Scale): string[] {
  return [
    `Network: seqCifarNet (width ${s.width}, 100 classes), batch ${s.batch}, input [T, B, 32, 1, 3] seeded noise; step = forward + backward + AdamW. Per T every network's step runs interleaved round by round (1 warm-up round, ${s.steps} timed rounds, the starting network rotating), so a slow phase of the machine hits all of them; step time = median over rounds, × ⌈50 000 / ${s.batch}⌉ steps = extrapolated s/epoch; ratios to PSN = median of the per-round ratios.`,
    "Strategies: toeplitz (per-channel T×T matmul), shift (k shifted multiply-adds), depthwise (depthwise conv over T); autoselect = Algorithm 1 per layer (mean of the last m = 2 of 5 runs, random output gradient), time-first layout only (TF.js has no vmap).",
    "'vanilla' in Fig. 6 (reshape + Conv1d) corresponds to the fixed depthwise strategy here.",
    ...(scale === "paper" ? [] : [`Reduced grid at scale ${scale}: T ∈ {${s.Ts.join(", ")}}, k ∈ {${s.ks.join(", ")}}.`]),
  ];
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  const { rows, setting, selections } = await trainingSpeed(ctx);
  return { title: "Training time per epoch vs T: PSN vs the mul-free neuron per strategy and with autoselect", data: { rows, setting, selections }, reproduced: reproducedOf(rows, ctx.scale), figures: [figure(rows, ctx.scale, "table11")], notes: notes(setting, ctx.scale) };
}

export async function runFig6(ctx: RunContext): Promise<ItemResult> {
  const { rows, setting, selections } = await trainingSpeed(ctx);
  return { title: "Fig. 6: training speed, PSN vs fixed strategies vs autoselect (the paper gives numbers only in the figure)", data: { rows, setting, selections }, reproduced: [], figures: [figure(rows, ctx.scale, "fig6")], notes: notes(setting, ctx.scale) };
}
