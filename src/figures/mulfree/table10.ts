/**
 * Mul-free paper, Table 10 / Fig. 5 — test accuracy vs the neuron's order k (papers.md §4.5):
 * sequential CIFAR100 (d = 1) and pixel CIFAR10 without dilation and with the sawtooth dilation (§5d-7).
 *
 * Every (setting, k) is one training run of `seq-task.ts` at the requested scale; the paper's 96 values are
 * drawn beside ours. Orders: smoke k ∈ {1, 4}; small k ∈ {1, 2, 4, 8, 16}; paper k = 1 … 32.
 * Fig. 5 is the same data drawn as accuracy-vs-k curves (`runFig5`).
 */
import { disposeModule } from "../../lib/layers/module.js";
import { lineChart } from "../../lib/plot/charts.js";
import { getClaim } from "../registry.js";
import type { ItemResult, Reproduced, RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { describeSetting, seqTaskSetting, trainSeqTask, type SeqTask } from "./seq-task.js";

export const TABLE10_SETTINGS = [
  { key: "seq-cifar100", task: "seq-cifar100" as SeqTask, dilation: "none" as const },
  { key: "pixel-cifar10/no-dilation", task: "pixel-cifar10" as SeqTask, dilation: "none" as const },
  { key: "pixel-cifar10/sawtooth", task: "pixel-cifar10" as SeqTask, dilation: "sawtooth" as const },
];

export function ordersFor(scale: Scale): number[] {
  if (scale === "smoke") return [1, 4];
  if (scale === "small") return [1, 2, 4, 8, 16];
  return Array.from({ length: 32 }, (_, i) => i + 1);
}

export interface OrderRow { setting: string; k: number; paper: number; ours: number; epochSeconds: number }

export async function accuracyVsOrder(ctx: RunContext): Promise<{ rows: OrderRow[]; settings: string[] }> {
  const ks = ordersFor(ctx.scale);
  const bar = ctx.progress("Table 10 runs", ks.length * TABLE10_SETTINGS.length);
  const rows: OrderRow[] = [];
  const settings = new Set<string>();
  for (const st of TABLE10_SETTINGS) {
    const s = seqTaskSetting(st.task, ctx.scale);
    settings.add(describeSetting(s));
    for (const k of ks) {
      const r = await trainSeqTask(s, "mulfree-psn", { k, dilation: st.dilation, strategy: "shift" }, ctx);
      disposeModule(r.model);
      rows.push({ setting: st.key, k, paper: getClaim(`mulfree:table10/${st.key}/k=${k}`).value, ours: r.testAcc, epochSeconds: r.epochSeconds });
      bar.tick();
    }
  }
  bar.finish();
  return { rows, settings: [...settings] };
}

function result(title: string, rows: OrderRow[], settings: string[], scale: Scale, figName: string): ItemResult {
  const reproduced: Reproduced[] = rows.map((r) => ({ claimId: `mulfree:table10/${r.setting}/k=${r.k}`, value: r.ours }));
  const curve = [
    ...rows.map((r) => ({ setting: r.setting, k: r.k, accuracy: r.ours, source: `spikelab (${scale})` })),
    ...TABLE10_SETTINGS.flatMap((st) => ordersFor("paper").map((k) => ({ setting: st.key, k, accuracy: getClaim(`mulfree:table10/${st.key}/k=${k}`).value, source: "paper" }))),
  ];
  return {
    title,
    data: { rows, settings },
    reproduced,
    figures: [{
      name: figName,
      spec: lineChart({ data: curve, x: "k", y: "accuracy", color: "setting", strokeDash: "source", title: `Mul-free Table 10 / Fig. 5: accuracy vs order k (ours at scale ${scale})`, xTitle: "order k", yTitle: "test accuracy (%)", logX: true }),
    }],
    notes: [
      ...settings.map((s) => `Ran: ${s}.`),
      "Neuron: mul-free channel-wise PSN, weights quantised to powers of two (STE, Eq. 16), exp init, ATan(2), per-channel threshold init 1; dilation none or sawtooth d = l + 1 per spiking layer (decision §5d-7), capped where a tap would never see the sequence.",
      "Recipe: AdamW lr 1e-3, cosine, label smoothing 0.1, horizontal flip; loss on the time-averaged output. The paper also uses TrivialAugment and RandomErasing (not implemented).",
      ...(scale === "paper" ? [] : ["Reduced scale: the accuracies are shown next to the paper's, not judged."]),
    ],
  };
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  const { rows, settings } = await accuracyVsOrder(ctx);
  return result("Accuracy vs order k: seq-CIFAR100, pixel-CIFAR10 without / with sawtooth dilation", rows, settings, ctx.scale, "table10");
}

export async function runFig5(ctx: RunContext): Promise<ItemResult> {
  const { rows, settings } = await accuracyVsOrder(ctx);
  return result("Fig. 5: accuracy vs order k (the data of Table 10 as curves)", rows, settings, ctx.scale, "fig5");
}
