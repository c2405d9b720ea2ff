/**
 * Every reproducible item of the three papers (the item half of the registry, `./registry.ts`). Items whose machinery is not built yet are listed with
 * status "not-built" and the reason — never faked.
 */
import type { FigureRun, ItemNeeds, ReproItem } from "../lib/repro/item.js";
import type { PaperWorkload } from "../lib/repro/workload.js";
import type { Scale } from "../lib/repro/verdict.js";

const ALL: Scale[] = ["smoke", "small", "paper"];

/**
 * A built item. Deterministic items (exact counts, formulas) compute the paper's full setting at every
 * scale, so they default to `paper`; trained items default to their smallest scale.
 */
function ready(paper: string, item: string, title: string, needs: ItemNeeds, load: () => Promise<FigureRun>, opts: { scales?: Scale[]; defaultScale?: Scale } = {}): ReproItem {
  return { id: `${paper}:${item}` as ReproItem["id"], paper, item, title, needs, scales: opts.scales ?? ALL, status: "ready", load, ...(opts.defaultScale ? { defaultScale: opts.defaultScale } : {}) };
}

function pending(paper: string, item: string, title: string, needs: ItemNeeds, reason: string, scales: Scale[] = ALL): ReproItem {
  return { id: `${paper}:${item}` as ReproItem["id"], paper, item, title, needs, scales, status: "not-built", reason };
}

/** The IMP ImageNet tables: ImageNet-1k at paper scale (data/fetch/imagenet.ts), a 10-class subset at small. */
const IMAGENET_DATASET = "ImageNet ILSVRC2012 (small: Imagenette 10-class subset, 64²; smoke: synthetic images)";
/**
 * Small-scale minutes of the ImageNet tables on 2-core wasm, from measured steps (64², batch 32, T 4, ×1/4 width):
 * SEW-R18 1.3 s + 0.03 s for the batch (cached crops ≈ 600 images/s), SEW-R50 4.7 s; 405 steps per run, plus
 * evaluation and the one-off decode cache (≈ 3 100 JPEGs at ≈ 16–18 images/s ≈ 3 min). Table 3: four R18 runs;
 * Table 5: two R50 runs; Table 6: Table 3's runs (≈ 1 min when Table 3 ran first).
 */
const IMAGENET_SMALL_MINUTES: Partial<Record<number, number>> = { 3: 40, 5: 65, 6: 40 };

/** DVS-Lip small scale on 2-core wasm: ≈ 5–9 s per step (batch 16, T 16, 44², ×1/4 width) × 25 steps × 4 epochs + evaluation. */
const DVS_LIP_SMALL_MINUTES = 25;
/**
 * mulfree:table2 (SHD) minutes on 2-core wasm: smoke ≈ 6 tiny runs of 5 epochs; small and paper from the measured
 * paper-scale epoch (≈ 13 min, bench/shd-epoch.ts; README "SHD"): small = 2 runs × 5 epochs, paper = 3 seeds × 150 epochs.
 */
const SHD_CPU_MINUTES = { smoke: 1.5, small: 125, paper: 450 * 13 };

/** Each paper's paper-scale workloads (`<paper>/workloads.ts`), loaded only when an estimate is asked for. */
const WORKLOAD_MODULES: Record<string, () => Promise<{ WORKLOADS: Record<string, () => PaperWorkload> }>> = {
  "mpe-psn": () => import("./mpe-psn/workloads.js"),
  imp: () => import("./imp/workloads.js"),
  mulfree: () => import("./mulfree/workloads.js"),
};
/** The training items that declare a paper workload (the keys of each paper's `WORKLOADS`; a test checks they agree). */
export const WORKLOAD_ITEMS: Record<string, readonly string[]> = {
  "mpe-psn": ["fig3a", "fig3b", "fig4", "table1", "table2", "abstract"],
  imp: ["fig4", "table1", "table2", "table3", "table4", "table5", "table6", "table7"],
  mulfree: ["table2", "table3", "table4", "fig7", "table5", "table10", "fig5"],
};

function withWorkload(item: ReproItem): ReproItem {
  if (!WORKLOAD_ITEMS[item.paper]?.includes(item.item)) return item;
  return {
    ...item,
    workload: async () => {
      const declared = (await WORKLOAD_MODULES[item.paper]!()).WORKLOADS[item.item];
      if (!declared) throw new Error(`${item.id}: src/figures/${item.paper}/workloads.ts declares no workload '${item.item}'`);
      return declared();
    },
  };
}

export const ITEMS: ReproItem[] = ([
  // MPE-PSN
  ready("mpe-psn", "fig1", "Speed-up of MPE-PSN over the sequential LIF, forward (and forward+backward)", { cpuMinutes: { smoke: 0.5, small: 3, paper: 8 } }, async () => (await import("./mpe-psn/fig1.js")).run),
  ready("mpe-psn", "fig3a", "L2 distance estimated vs sequential potential, with/without L_mem, and accuracy", { cpuMinutes: { smoke: 0.5, small: 60 }, dataset: "DVS128 Gesture (smoke: synthetic)", gpu: true }, async () => (await import("./mpe-psn/fig3.js")).runFig3a),
  ready("mpe-psn", "fig3b", "Per-layer spike rate of MPE-PSN vs vanilla LIF networks", { cpuMinutes: { smoke: 0.5, small: 60 }, dataset: "DVS128 Gesture (smoke: synthetic)", gpu: true }, async () => (await import("./mpe-psn/fig3.js")).runFig3b),
  ready("mpe-psn", "fig4", "2-D loss contours around trained LIF and MPE-PSN weights, loss and accuracy curves", { cpuMinutes: { smoke: 1, small: 60 }, dataset: "CIFAR10-DVS (smoke: synthetic)", gpu: true }, async () => (await import("./mpe-psn/fig4.js")).run),
  ready("mpe-psn", "table1", "Accuracy on CIFAR10-DVS (T = 4/8/10, ± mixup) and N-Caltech101 (T = 10)", { cpuMinutes: { smoke: 0.5, small: 60 }, dataset: "CIFAR10-DVS, N-Caltech101 (smoke: synthetic)", gpu: true }, async () => (await import("./mpe-psn/table1.js")).runTable1),
  ready("mpe-psn", "table2", "Further accuracy table (contents UNKNOWN; CIFAR10 ResNet-19 log)", { cpuMinutes: { smoke: 0.3, small: 60 }, dataset: "CIFAR10 (smoke: synthetic)", gpu: true }, async () => (await import("./mpe-psn/table2.js")).run),
  ready("mpe-psn", "audit", "Logged accuracy claims audited against the authors' released training logs (no training)", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 }, dataset: "the authors' logs (data/fetch/official-logs.ts --paper mpe-psn; smoke: generated)" }, async () => (await import("./mpe-psn/audit.js")).run, { defaultScale: "paper" }),
  ready("mpe-psn", "abstract", "DVS128 Gesture T = 16 accuracy 97.92 %", { cpuMinutes: { smoke: 0.3, small: 60 }, dataset: "DVS128 Gesture (smoke: synthetic)", gpu: true }, async () => (await import("./mpe-psn/fig3.js")).runAbstract),
  // IMP / LTS / TET-S
  ready("imp", "audit", "ImageNet claims audited against the results written in the authors' in1k/LTS/run.sh (no training)", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 }, dataset: "the authors' run.sh (data/fetch/official-logs.ts --paper imp; smoke: generated)" }, async () => (await import("./imp/audit.js")).run, { defaultScale: "paper" }),
  ready("imp", "fig1", "Membrane potential heatmaps: adjusting the IMP vs adjusting the input intensity", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./imp/fig1.js")).run, { defaultScale: "paper" }),
  ready("imp", "fig3", "IF pattern mapping over 4 steps at IMP 0.0, 0.25 and learnable", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./imp/fig3.js")).run, { defaultScale: "paper" }),
  ready("imp", "fig4", "Per-time-step test accuracy of a static-image SNN", { cpuMinutes: { smoke: 0.2, small: 60 }, dataset: "CIFAR10 (smoke: synthetic)", gpu: true }, async () => (await import("./imp/fig4.js")).run),
  ready("imp", "fig5", "Convergence of SDT, TET and LTS on the toy network (static input)", { cpuMinutes: { smoke: 0.5, small: 55, paper: 600 } }, async () => (await import("./imp/fig5.js")).run),
  ready("imp", "fig6", "Forward+backward time of IF with and without IMP", { cpuMinutes: { smoke: 0.3, small: 4, paper: 8 } }, async () => (await import("./imp/fig6.js")).run),
  ready("imp", "fig8", "Convergence of SDT and TET on the toy network (dynamic input)", { cpuMinutes: { smoke: 0.4, small: 35, paper: 200 } }, async () => (await import("./imp/fig8.js")).run),
  ...([
    [1, "TET vs SDT per dataset (48² config)", "runTable1", "CIFAR10-DVS, N-Caltech101 (smoke: synthetic)", ALL],
    [2, "SOTA comparison on CIFAR10-DVS and N-Caltech101 (IMP + TET-S)", "runTable2", "CIFAR10-DVS, N-Caltech101 (smoke: synthetic)", ALL],
    [3, "ImageNet LTS results (SEW-ResNets × TET/SDT/LTS, IMP + LTS)", "runTable3", IMAGENET_DATASET, ALL],
    [4, "Ablation of ε and IMP", "runTable4", "CIFAR10-DVS (smoke: synthetic)", ALL],
    [5, "SOPs / energy of SEW-ResNet-50 LTS (+ IMP) vs Transformer SNNs", "runTable5", IMAGENET_DATASET, ALL],
    [6, "SOPs / energy of SEW-ResNets under TET/SDT/LTS/LTS+IMP", "runTable6", IMAGENET_DATASET, ALL],
    [7, "Accuracy vs time steps", "runTable7", "CIFAR10-DVS (smoke: synthetic)", ALL],
  ] as const).map(([n, title, fn, dataset, scales]) => ready("imp", `table${n}`, title, { cpuMinutes: { smoke: 1, ...(scales.length > 1 ? { small: IMAGENET_SMALL_MINUTES[n] ?? 60 } : {}) }, dataset, gpu: true },
    async () => (await import("./imp/tables.js"))[fn], { scales: [...scales] })),
  // mul-free channel-wise PSN
  ready("mulfree", "table1", "Operation counts of PSN, sliding PSN and the mul-free neuron vs T and k", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./mulfree/table1.js")).run, { defaultScale: "paper" }),
  ready("mulfree", "table9", "Energy of the neuron operations vs T and k", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./mulfree/table1.js")).runTable9, { defaultScale: "paper" }),
  ready("mulfree", "table6", "Energy of one CIFAR100 image, PSN vs mul-free neuron", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./mulfree/table6.js")).run, { defaultScale: "paper" }),
  ready("mulfree", "fig2", "Receptive field of stacked sliding vs channel-wise PSN layers", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./mulfree/fig2.js")).run, { defaultScale: "paper" }),
  ready("mulfree", "fig3", "Power-of-two quantiser and its gradient under Eq. 15 vs Eq. 16", { cpuMinutes: { smoke: 0.1, small: 0.1, paper: 0.1 } }, async () => (await import("./mulfree/fig3.js")).run, { defaultScale: "paper" }),
  ready("mulfree", "fig5", "Accuracy vs order k (Table 10 as a figure)", { cpuMinutes: { smoke: 0.5, small: 60 }, dataset: "CIFAR100 / CIFAR10 (smoke: synthetic)", gpu: true }, async () => (await import("./mulfree/table10.js")).runFig5),
  ready("mulfree", "table10", "Accuracy vs order k, seq-CIFAR100 and pixel-CIFAR10 with/without dilation", { cpuMinutes: { smoke: 0.5, small: 60 }, dataset: "CIFAR100 / CIFAR10 (smoke: synthetic)", gpu: true }, async () => (await import("./mulfree/table10.js")).run),
  ready("mulfree", "table11", "Training time per epoch vs T, PSN vs mul-free neuron per computation strategy and autoselect", { cpuMinutes: { smoke: 0.5, small: 15, paper: 120 } }, async () => (await import("./mulfree/table11.js")).run),
  ready("mulfree", "fig6", "Training speed: PSN vs fixed strategies vs autoselect", { cpuMinutes: { smoke: 0.5, small: 15, paper: 120 } }, async () => (await import("./mulfree/table11.js")).runFig6),
  ready("mulfree", "table2", "SHD accuracy of the SNN-delays network with the mul-free PSN (learnable delays), seeds 0–2", { cpuMinutes: SHD_CPU_MINUTES, dataset: "SHD (smoke: synthetic SHD-layout HDF5 files)", gpu: true }, async () => (await import("./mulfree/table2.js")).run),
  ready("mulfree", "table3", "Sequential CIFAR10/100 accuracy, mul-free PSN vs other neurons", { cpuMinutes: { smoke: 0.5, small: 60 }, dataset: "CIFAR10 / CIFAR100 (smoke: synthetic)", gpu: true }, async () => (await import("./mulfree/table3.js")).run),
  ready("mulfree", "table4", "DVS-Lip accuracy, modified Spiking ResNet-18 with the mul-free PSN", { cpuMinutes: { smoke: 0.5, small: DVS_LIP_SMALL_MINUTES }, dataset: "DVS-Lip (smoke: synthetic)", gpu: true }, async () => (await import("./mulfree/table4.js")).run),
  ready("mulfree", "fig7", "DVS-Lip collapse under the Eq. 15 quantiser gradient vs the STE", { cpuMinutes: { smoke: 1, small: 2 * DVS_LIP_SMALL_MINUTES }, dataset: "DVS-Lip (smoke: synthetic)", gpu: true }, async () => (await import("./mulfree/table4.js")).runFig7),
  ready("mulfree", "table5", "Step-by-step inference accuracy and memory on seq-CIFAR100", { cpuMinutes: { smoke: 0.5, small: 30 }, dataset: "CIFAR100 (smoke: synthetic)", gpu: true }, async () => (await import("./mulfree/table5.js")).run),
] as ReproItem[]).map(withWorkload);
