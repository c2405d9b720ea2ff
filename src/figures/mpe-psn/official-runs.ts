/**
 * The training runs the MPE-PSN authors released in `Chrazqee/MPE-PSN` at the pinned commit (papers.md §1.2):
 * per run, its text log and its TensorBoard event files (one per process: a resumed run has several), the
 * planned epochs, the test loader's batch and the test set's size (papers.md §2.4), read by `mpe-psn:audit`.
 *
 * Key names are those of the official training scripts' logging calls: `loss=` / `acc=` (train, per epoch),
 * `Test acc=`, `Best Test acc=` (running best); event tags `train_loss`, `train_acc`, `test_acc`, `dist`.
 */
export type OfficialDataset = "dvsgesture" | "cifar10dvs" | "ncaltech101" | "cifar10";

export interface OfficialRun {
  id: string;
  dataset: OfficialDataset;
  setting: string;
  log: string;
  /** Event files in the order the processes wrote them (timestamp in the name). */
  events: string[];
  planned: number;
  testBatch: number;
  /** Test-set size of the dataset split the code uses (null: depends on a split not fixed here). */
  testSetSize: number | null;
}

export const DATASET_TITLES: Record<OfficialDataset, string> = {
  dvsgesture: "DVS128 Gesture", cifar10dvs: "CIFAR10-DVS", ncaltech101: "N-Caltech101", cifar10: "CIFAR10",
};

export const LOG_KEYS = { trainLoss: "loss", trainAcc: "acc", testAcc: "Test acc", runningBest: "Best Test acc" } as const;
export const EVENT_TAGS = { trainLoss: "train_loss", trainAcc: "train_acc", testAcc: "test_acc" } as const;

const C10DVS = (T: number, mixup: boolean, stamp: string): OfficialRun => {
  const name = `T${T}_opt_SGD_tau_0.25_method_MPE-PSN_lr0.05_b_32_lambda_mem_0.01_TET_${mixup ? "mixup_" : ""}frame_sigmoid`;
  return {
    id: `cifar10dvs/T${T}${mixup ? "-mixup" : ""}`, dataset: "cifar10dvs", setting: `VGG 48², MPE-PSN, T = ${T}${mixup ? ", mixup" : ""}`,
    log: `cifar10dvs/${name}.log`,
    events: stamp.split(",").map((s) => `cifar10dvs/logs_frame_sigmoid${mixup ? "_mixup" : ""}/${name}/logs/events.out.tfevents.${s}.0`),
    planned: 230, testBatch: 32, testSetSize: 1000,
  };
};

const GESTURE = "T16_opt__tau_0.25_method_MPE_PSN_lr0.05_b_8_channels256_TET_sigmoid";
const NCALTECH = "T10_opt__tau_0.25_method_MPE_PSN_lr0.01_b_8_channels100000_sigmoid_TET_2gpu_frame";
const LIF = "T4_opt_SGD_tau_0.25_method_Vanilla_LIF_lr0.05_b_32_lambda_mem_0.01_TET_frame_sigmoid";
const RESNET = "model_resnet19_T4_opt_Adam_MPE-PSN_lr0.01_b_64_device_cuda_TET";

export const OFFICIAL_RUNS: OfficialRun[] = [
  {
    id: "dvsgesture/T16", dataset: "dvsgesture", setting: "DVSGestureNet 64², MPE-PSN, T = 16", log: `DVSGusture/${GESTURE}.log`,
    events: ["1725166842.chrazqee.513158", "1725171523.chrazqee.525187"].map((s) => `DVSGusture/logs_frame_sigmoid/${GESTURE}/eaccd2199acd4394afae8729d5968d25/logs/events.out.tfevents.${s}.0`),
    planned: 230, testBatch: 8, testSetSize: 288,
  },
  C10DVS(4, false, "1725208706.chrazqee.625898"),
  C10DVS(8, false, "1725260584.chrazqee.740833,1725276134.chrazqee.772225"),
  C10DVS(10, false, "1725219310.chrazqee.658834"),
  C10DVS(4, true, "1725200595.chrazqee.601133"),
  C10DVS(8, true, "1725240164.chrazqee.694399"),
  C10DVS(10, true, "1725200592.chrazqee.600870"),
  {
    id: "cifar10dvs/T4-lif", dataset: "cifar10dvs", setting: "VGG 48², vanilla LIF baseline, T = 4", log: `cifar10dvs/${LIF}.log`,
    events: ["1725354159.chrazqee.1662686", "1725366115.chrazqee.21426", "1725371462.chrazqee.89747"].map((s) => `cifar10dvs/logs_frame_vanilla_LIF/${LIF}/logs/events.out.tfevents.${s}.0`),
    planned: 230, testBatch: 32, testSetSize: 1000,
  },
  {
    id: "ncaltech101/T10", dataset: "ncaltech101", setting: "DVSGestureNet 128², MPE-PSN, T = 10", log: `NCaltech101/${NCALTECH}.log`,
    events: ["1725095491.chrazqee.435706", "1725113791.chrazqee.456865", "1725113827.chrazqee.457037"].map((s) => `NCaltech101/logs_frame_sigmoid/${NCALTECH}/4e7411e96422440a86f3f6c114a6df28/logs/events.out.tfevents.${s}.0`),
    planned: 230, testBatch: 8, testSetSize: null,
  },
  {
    id: "cifar10/resnet19-T4", dataset: "cifar10", setting: "ResNet-19, MPE-PSN, T = 4", log: `cifar/${RESNET}.log`,
    events: [`cifar/logs/${RESNET}/logs/events.out.tfevents.1725532375.chrazqee.847378.0`],
    planned: 300, testBatch: 64, testSetSize: 10000,
  },
];
