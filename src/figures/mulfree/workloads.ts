/**
 * What each mul-free PSN training item trains at `paper` scale (papers.md §4.4, Table 8; settings in
 * `seq-task.ts`, `shd-task.ts`, `dvs-lip-task.ts`): networks at the paper's input shape and batch, epochs,
 * dataset splits and runs. Read by `reproduce.ts list` / `estimate`. The sequential-CIFAR runs evaluate once,
 * after training (`trainSeqTask`); SHD and DVS-Lip after every epoch.
 */
import type { NeuronFactoryOptions, NeuronKind } from "../../lib/models/neuron-factories.js";
import type { PaperWorkload, WorkloadNetwork, WorkloadRun } from "../../lib/repro/workload.js";
import { CIFAR, DVS_LIP, SHD } from "../common/paper-splits.js";
import { buildLipNet, lipSetting } from "./dvs-lip-task.js";
import { buildSeqNet, seqTaskSetting, type SeqTask } from "./seq-task.js";
import { buildShdNet, shdSetting } from "./shd-task.js";
import { TABLE3_METHODS } from "./table3.js";

function optionsKey(o: NeuronFactoryOptions): string {
  return [o.k !== undefined ? `k${o.k}` : "", o.dilation && o.dilation !== "none" ? String(o.dilation) : ""].filter(Boolean).join(",");
}

/** The task's paper network with one neuron: seq-CIFAR `[32, B, 32, 1, 3]` (columns), pixel-CIFAR10 `[1024, B, 3]`. */
export function seqNetwork(task: SeqTask, kind: NeuronKind, o: NeuronFactoryOptions): WorkloadNetwork {
  const s = seqTaskSetting(task, "paper");
  const pixel = task === "pixel-cifar10";
  const numClasses = s.variant === "cifar100" ? 100 : 10;
  const opts = optionsKey(o);
  return {
    key: `${pixel ? "pixelCifarNet" : "seqCifarNet"}/${kind}${opts ? `(${opts})` : ""}/widths ${s.widths.join(",")}/T${pixel ? 1024 : 32}/${numClasses} classes`,
    inputShape: pixel ? [1024, s.batchSize, 3] : [32, s.batchSize, 32, 1, 3],
    numClasses,
    // The sequence length is the image's (32 columns or 1024 pixels): the network is built for it.
    build: () => buildSeqNet(s, kind, o, 0),
  };
}

function seqRun(label: string, task: SeqTask, kind: NeuronKind, o: NeuronFactoryOptions, repeats?: number): WorkloadRun {
  const s = seqTaskSetting(task, "paper");
  return { label, network: seqNetwork(task, kind, o), epochs: s.epochs, trainSamples: CIFAR.train, testSamples: CIFAR.test, evalPasses: 1, ...(repeats ? { repeats } : {}) };
}

/** Table 10 / Fig. 5: 32 orders per setting, each timed by the k = 16 network of its setting. */
function orderSweep(): PaperWorkload {
  const settings = [
    { label: "seq-CIFAR100", task: "seq-cifar100" as const, dilation: "none" as const },
    { label: "pixel-CIFAR10 without dilation", task: "pixel-cifar10" as const, dilation: "none" as const },
    { label: "pixel-CIFAR10 with sawtooth dilation", task: "pixel-cifar10" as const, dilation: "sawtooth" as const },
  ];
  return {
    runs: settings.map((st) => seqRun(`${st.label}, k = 1 … 32`, st.task, "mulfree-psn", { k: 16, dilation: st.dilation, strategy: "shift" }, 32)),
    notes: ["Each setting's 32 runs (k = 1 … 32) are timed with its k = 16 network: the cost of the order k is taken as flat (autoselect picks the strategy per k), so small k are overestimated and large k underestimated."],
  };
}

export const WORKLOADS: Record<string, () => PaperWorkload> = {
  table2: () => {
    const s = shdSetting("paper");
    const T = Math.ceil(s.binning.maxTimeMs / s.binning.dtMs);
    const network: WorkloadNetwork = {
      key: `delaySnn/mulfree-psn(k2,sawtooth)/hidden ${s.hidden}/D${s.kernelSize}/T${T}/20 classes`,
      inputShape: [T, s.batchSize, s.binning.channels / s.binning.pool],
      numClasses: 20,
      build: (t) => buildShdNet({ ...s, binning: { ...s.binning, maxTimeMs: t * s.binning.dtMs } }, "ours", 0),
    };
    return { runs: [{ label: `SHD, mul-free PSN + delays, seeds ${s.seeds.join(", ")}`, network, epochs: s.epochs, trainSamples: SHD.train, testSamples: SHD.test, repeats: s.seeds.length }] };
  },
  table3: () => ({
    runs: (["seq-cifar10", "seq-cifar100"] as const).flatMap((task) => TABLE3_METHODS.filter((m) => m.kind).map((m) => seqRun(`${task}, ${m.key}`, task, m.kind!, m.options))),
  }),
  table4: () => {
    const s = lipSetting("paper");
    return {
      runs: [{ label: "DVS-Lip, mul-free PSN Spiking ResNet-18", network: lipNetwork(), epochs: s.epochs, trainSamples: DVS_LIP.train, testSamples: DVS_LIP.test }],
      notes: ["Measured at T = 30 and scaled ×3 to the T = 90 frames (the T = 90 step does not fit the 4 GiB wasm heap even at one sample)."],
    };
  },
  fig7: () => {
    const s = lipSetting("paper");
    return {
      runs: [{ label: "DVS-Lip, straight-through and Eq. 15 gradients", network: lipNetwork(), epochs: Math.max(2, s.epochs), trainSamples: DVS_LIP.train, testSamples: DVS_LIP.test, repeats: 2 }],
      notes: ["Both gradients cost the same step (timed with the straight-through one); measured at T = 30 and scaled to T = 90."],
    };
  },
  table5: () => ({
    runs: [seqRun("seq-CIFAR100, sliding PSN k = 32", "seq-cifar100", "sliding-psn", { k: 32 }), seqRun("seq-CIFAR100, mul-free PSN k = 4", "seq-cifar100", "mulfree-psn", { k: 4 })],
    notes: ["The step-by-step inference and its memory measurement come on top (one pass over the test set per network)."],
  }),
  table10: orderSweep,
  fig5: orderSweep,
};

/** The modified Spiking ResNet-18 on DVS-Lip: `[90, 32, 2, 88, 88]` frames, 100 words; measured at T = 30. */
function lipNetwork(): WorkloadNetwork {
  const s = lipSetting("paper");
  return {
    key: `lipSpikingResNet18/mulfree-psn(k2,sawtooth)/${s.crop}²/T${s.T}/${s.words.length} classes`,
    inputShape: [s.T, s.batchSize, 2, s.crop, s.crop],
    numClasses: s.words.length,
    build: (T) => buildLipNet({ ...s, T }, 0),
    measureT: 30,
  };
}
