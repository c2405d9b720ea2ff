/**
 * What each MPE-PSN training item trains at `paper` scale (papers.md §2.2–2.4; settings in `experiment.ts`):
 * the networks at the paper's input shape and batch, 230 epochs (ResNet-19: 300), the dataset splits, and how
 * many runs. Read by `reproduce.ts list` / `estimate` to turn a measured step time into a wall time.
 * Every run evaluates the test set after each epoch and once more at the end (`trainMpe`).
 */
import type { PaperWorkload, WorkloadNetwork, WorkloadRun } from "../../lib/repro/workload.js";
import { resnet19 } from "../../lib/models/resnet19.js";
import { MPEPSN } from "../../lib/neurons/mpe-psn.js";
import { CIFAR, CIFAR10_DVS_TEBN, DVS_GESTURE, NCALTECH101_MPE, type SplitSizes } from "../common/paper-splits.js";
import { buildMpeNet, mpeSetting, type MpeDataset, type MpeNeuron } from "./experiment.js";
import { table2Setting } from "./table2.js";

const SPLITS: Record<MpeDataset, SplitSizes> = { cifar10dvs: CIFAR10_DVS_TEBN, dvsgesture: DVS_GESTURE, ncaltech101: NCALTECH101_MPE };

/** The dataset's paper network with `neuron` at T (`[T, B, 2, H, W]` frames). */
export function mpeNetwork(dataset: MpeDataset, neuron: MpeNeuron, T?: number): WorkloadNetwork {
  const s = mpeSetting(dataset, "paper", T);
  const arch = dataset === "cifar10dvs" ? "vggMpe" : "dvsGestureNet";
  return {
    key: `${arch}/${neuron}/${s.size}²/T${s.T}/${s.numClasses} classes`,
    inputShape: [s.T, s.batchSize, 2, s.size, s.size],
    numClasses: s.numClasses,
    build: (t) => buildMpeNet({ ...s, T: t }, neuron, 0),
  };
}

function mpeRun(label: string, dataset: MpeDataset, neuron: MpeNeuron, o: { T?: number; repeats?: number } = {}): WorkloadRun {
  const s = mpeSetting(dataset, "paper", o.T);
  const split = SPLITS[dataset];
  return { label, network: mpeNetwork(dataset, neuron, o.T), epochs: s.epochs, trainSamples: split.train, testSamples: split.test, evalPasses: s.epochs + 1, ...(o.repeats ? { repeats: o.repeats } : {}) };
}

/** ResNet-19 with MPE-PSN (Variant A) on CIFAR10, static images repeated over T = 4 (`table2.ts`). */
function resnet19Network(): WorkloadNetwork {
  const st = table2Setting("paper");
  return {
    key: "resnet19/mpe-psn/32²/T4/10 classes",
    inputShape: [4, st.batchSize, 32, 32, 3],
    numClasses: 10,
    build: (T) => {
      let layer = 0;
      return resnet19({ neuron: ({ T: t }) => new MPEPSN({ T: t, variant: "A", seed: layer++ }), T, widthFactor: st.widthFactor, seed: 0 });
    },
  };
}

export const WORKLOADS: Record<string, () => PaperWorkload> = {
  fig3a: () => ({
    runs: [mpeRun("DVSGesture T = 16, with and without L_mem", "dvsgesture", "mpe-psn", { repeats: 2 })],
    notes: ["Fig. 3a's runs also compute the sequential LIF potential of every layer for the distance; that extra forward is not in the measured step."],
  }),
  fig3b: () => ({ runs: [mpeRun("DVSGesture T = 16, MPE-PSN", "dvsgesture", "mpe-psn"), mpeRun("DVSGesture T = 16, vanilla LIF", "dvsgesture", "lif")] }),
  fig4: () => ({
    runs: [mpeRun("CIFAR10-DVS T = 4, vanilla LIF", "cifar10dvs", "lif", { T: 4 }), mpeRun("CIFAR10-DVS T = 4, MPE-PSN", "cifar10dvs", "mpe-psn", { T: 4 })],
    notes: ["The two 21 × 21 loss landscapes (forward passes over a test subset) come on top."],
  }),
  table1: () => ({
    runs: [
      ...[4, 8, 10].map((T) => mpeRun(`CIFAR10-DVS T = ${T}, with and without mixup`, "cifar10dvs", "mpe-psn", { T, repeats: 2 })),
      mpeRun("N-Caltech101 T = 10, mixup", "ncaltech101", "mpe-psn"),
    ],
  }),
  table2: () => {
    const st = table2Setting("paper");
    return { runs: [{ label: "CIFAR10 ResNet-19 T = 4", network: resnet19Network(), epochs: st.epochs, trainSamples: CIFAR.train, testSamples: CIFAR.test }] };
  },
  abstract: () => ({ runs: [mpeRun("DVSGesture T = 16, mixup", "dvsgesture", "mpe-psn")] }),
};
