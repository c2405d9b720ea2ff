/**
 * What each IMP / LTS / TET-S training item trains at `paper` scale (papers.md §3.3–3.5; settings in
 * `experiment.ts` and `fig4.ts`): networks at the paper's input shape and batch, epochs, dataset splits and
 * runs. Read by `reproduce.ts list` / `estimate`. The DVS runs evaluate after every epoch and once at the end.
 */
import type { PaperWorkload, WorkloadNetwork, WorkloadRun } from "../../lib/repro/workload.js";
import { CIFAR, CIFAR10_DVS_SEEDED, CIFAR10_DVS_TEBN, IMAGENET_1K, NCALTECH101_SEEDED } from "../common/paper-splits.js";
import { buildImpNet, buildSewNet, impDvsSetting, sewSetting, type ImpConfig, type ImpDvsSetting } from "./experiment.js";
import { FIG4_SETTINGS, fig4Model } from "./fig4.js";

type ImpDataset = ImpDvsSetting["dataset"];

/** The config's network (`stateVgg11R48` for "48", `vgg11` for "128") with or without IMP, `[T, B, 2, H, W]` frames. */
export function impNetwork(dataset: ImpDataset, config: ImpConfig, imp: boolean, T?: number): WorkloadNetwork {
  const s = impDvsSetting(dataset, config, "paper", T);
  const numClasses = dataset === "cifar10dvs" ? 10 : 101;
  return {
    key: `${config === "48" ? "stateVgg11R48/legacy-lif" : "vgg11/lif"}${imp ? "+imp" : ""}/${s.size}²/T${s.T}/${numClasses} classes`,
    inputShape: [s.T, s.batchSize, 2, s.size, s.size],
    numClasses,
    build: (t) => buildImpNet({ ...s, T: t }, imp, 0),
  };
}

function dvsRun(label: string, dataset: ImpDataset, config: ImpConfig, imp: boolean, o: { T?: number; repeats?: number } = {}): WorkloadRun {
  const s = impDvsSetting(dataset, config, "paper", o.T);
  const split = dataset === "ncaltech101" ? NCALTECH101_SEEDED : config === "48" ? CIFAR10_DVS_TEBN : CIFAR10_DVS_SEEDED;
  return { label, network: impNetwork(dataset, config, imp, o.T), epochs: s.epochs, trainSamples: split.train, testSamples: split.test, evalPasses: s.epochs + 1, ...(o.repeats ? { repeats: o.repeats } : {}) };
}

const SEEDED_NOTE = "N-Caltech101's seeded split is taken as 9:1 of its 8709 recordings (per-class counts not in the spec; off by ≤ 101 samples).";

/** SEW-ResNet on ImageNet-1k 224², T = 4, run.sh's 4-GPU batch (as accumulated micro-batches); `[T, B, H, W, 3]`. */
export function sewNetwork(depth: 18 | 34 | 50, imp: boolean): WorkloadNetwork {
  const s = sewSetting("paper", depth);
  return {
    key: `sewResNet${depth}/if${imp ? "+imp" : ""}/${s.size}²/T${s.T}/1000 classes`,
    inputShape: [s.T, s.batchSize, s.size, s.size, 3],
    numClasses: 1000,
    build: (t) => buildSewNet(depth, imp, t, 1000, 0, s.widthFactor),
  };
}

/** The four ImageNet runs of one depth: TET, SDT and LTS without IMP (one network), LTS with IMP. */
function sewRuns(depth: 18 | 34 | 50, which: "all" | "lts"): WorkloadRun[] {
  const s = sewSetting("paper", depth);
  const common = { epochs: s.epochs, trainSamples: IMAGENET_1K.train, testSamples: IMAGENET_1K.test, evalBatchSize: s.batchSize / (s.microBatches ?? 1), evalPasses: s.epochs + 1 };
  return [
    { label: `SEW-R${depth} ${which === "all" ? "TET, SDT, LTS" : "LTS"}`, network: sewNetwork(depth, false), repeats: which === "all" ? 3 : 1, ...common },
    { label: `SEW-R${depth} IMP + LTS`, network: sewNetwork(depth, true), ...common },
  ];
}

const SEW_REUSE = "Tables 3, 5 and 6 train the same SEW-ResNets and keep them under results/_runs: after Table 3 has run, Tables 5 and 6 reuse its runs (minutes); the estimate is for a table run on its own.";

export const WORKLOADS: Record<string, () => PaperWorkload> = {
  fig4: () => {
    const s = FIG4_SETTINGS.paper;
    return {
      runs: [{
        label: "CIFAR10 SEW-ResNet-18-CIFAR T = 4", epochs: s.epochs, trainSamples: CIFAR.train, testSamples: CIFAR.test,
        network: { key: `sewResNetCifar/if/32²/T${s.T}/10 classes`, inputShape: [s.T, s.batchSize, 32, 32, 3], numClasses: 10, build: (T) => fig4Model({ widthFactor: s.widthFactor, T }, 0) },
      }],
    };
  },
  table1: () => ({
    runs: (["cifar10dvs", "ncaltech101"] as const).map((d) => dvsRun(`${d} 48² T = 10, TET and SDT`, d, "48", false, { repeats: 2 })),
    notes: [SEEDED_NOTE],
  }),
  table2: () => ({
    runs: (["cifar10dvs", "ncaltech101"] as const).map((d) => dvsRun(`${d} 128² T = 16, IMP + TET-S`, d, "128", true)),
    notes: [SEEDED_NOTE],
  }),
  table3: () => ({ runs: ([18, 34, 50] as const).flatMap((d) => sewRuns(d, "all")), notes: [SEW_REUSE] }),
  table4: () => ({
    runs: [dvsRun("CIFAR10-DVS 48² T = 10, TET", "cifar10dvs", "48", false), dvsRun("CIFAR10-DVS 48² T = 10, IMP with TET, TET-S ε 0.01, ε 0.1", "cifar10dvs", "48", true, { repeats: 3 })],
  }),
  table5: () => ({ runs: sewRuns(50, "lts"), notes: [SEW_REUSE] }),
  table6: () => ({ runs: ([18, 34, 50] as const).flatMap((d) => sewRuns(d, "all")), notes: [SEW_REUSE] }),
  table7: () => ({ runs: [4, 8, 10, 16].map((T) => dvsRun(`CIFAR10-DVS 48² T = ${T}, IMP + TET-S`, "cifar10dvs", "48", true, { T })) }),
};
