/**
 * The claims of MPE-PSN (papers.md §2.5): every numeric claim its items check, with the paper's value, source,
 * tolerance and kind. Values are never tuned to results.
 */
import { OFFICIAL_RUNS } from "./official-runs.js";
import { claimList, TOLERANCES, type ClaimLog, type LogSelection, type Paper } from "../../lib/repro/claims.js";

export const PAPER: Paper = {
  id: "mpe-psn",
  title: "Time-independent Spiking Neuron via Membrane Potential Estimation for Efficient SNNs (MPE-PSN; arXiv 2409.04978)",
};

const { add, claims } = claimList(PAPER.id);

/**
 * The authors' text log of each audited run (Chrazqee/MPE-PSN at the pinned commit; `mpe-psn:audit` also reads
 * the run's event files). Every accuracy claim is the best test accuracy over the epochs: a model selected on
 * the test set (the official scripts have no validation split).
 */
function mpeLog(run: string, selection: LogSelection): ClaimLog {
  const file = OFFICIAL_RUNS.find((r) => r.id === run)?.log;
  if (!file) throw new Error(`mpe-psn claims: no authors' log registered for run '${run}'`);
  return { run, file, selection };
}
const pct = "%";

add({ item: "abstract", key: "dvsgesture/T=16", setting: "DVS128 Gesture, DVSGestureNet 64², T = 16", quantity: "top-1 test accuracy", value: 97.92, unit: pct, source: "papers.md §2.5 [paper]; log best 97.917 = 282/288 at epoch 150", tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog("dvsgesture/T16", "best-over-epochs") });
for (const [T, noMix, mix] of [[4, 84.476, 83.367], [8, 85.585, 86.089], [10, 85.988, 86.694]] as const) {
  add({ item: "table1", key: `cifar10dvs/T=${T}/no-mixup`, setting: `CIFAR10-DVS, VGGMPE 48², T = ${T}, no mixup (presumed Table 1)`, quantity: "best test accuracy", value: noMix, unit: pct, source: `papers.md §2.5 [log] cifar10dvs/T${T}_..._TET_frame_sigmoid.log (decision 5d-1)`, tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog(`cifar10dvs/T${T}`, "best-over-epochs") });
  add({ item: "table1", key: `cifar10dvs/T=${T}/mixup`, setting: `CIFAR10-DVS, VGGMPE 48², T = ${T}, mixup (presumed Table 1)`, quantity: "best test accuracy", value: mix, unit: pct, source: `papers.md §2.5 [log] cifar10dvs/..._TET_mixup_frame_sigmoid.log (decision 5d-1)`, tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog(`cifar10dvs/T${T}-mixup`, "best-over-epochs") });
}
add({ item: "table1", key: "ncaltech101/T=10", setting: "N-Caltech101, DVSGestureNet 128², T = 10 (presumed Table 1)", quantity: "best test accuracy", value: 88.235, unit: pct, source: "papers.md §2.5 [log] NCaltech101/T10_...log (epoch 194)", tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog("ncaltech101/T10", "best-over-epochs") });
add({ item: "table2", key: "cifar10/resnet19/T=4", setting: "CIFAR10, ResNet-19, T = 4 (log only; presence in the paper unconfirmed)", quantity: "best test accuracy", value: 94.36, unit: pct, source: "papers.md §2.5 [log] cifar/model_resnet19_T4_...log", tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog("cifar10/resnet19-T4", "best-over-epochs") });
const FIG1: Record<string, number[]> = { "2^10": [2.5, 6.1, 10.9, 21.7, 43.5], "2^12": [2.1, 4.2, 8.2, 17.0, 34.9], "2^14": [1.7, 3.5, 7.2, 13.7, 30.8], "2^16": [0.8, 1.7, 4.6, 11.7, 21.9] };
for (const [N, ratios] of Object.entries(FIG1)) {
  ratios.forEach((r, i) => {
    const T = [4, 8, 16, 32, 64][i]!;
    add({ item: "fig1", key: `N=${N}/T=${T}`, setting: `forward pass, N = ${N} neurons, T = ${T} (paper: GPU, protocol UNKNOWN)`, quantity: "speed-up T(vanilla LIF) / T(MPE-PSN)", value: r, unit: "×", source: "papers.md §2.5 [digitised] figs/img_3.png", tolerance: TOLERANCES.timing, kind: "timing" });
  });
}
const FIG3B = { "MPE-PSN": [5.2, 3.0, 1.0, 2.9, 5.5, 22.2], "vanilla LIF": [0.6, 0.8, 2.8, 2.5, 4.3, 16.6] };
for (const [net, rates] of Object.entries(FIG3B)) {
  rates.forEach((r, i) => add({ item: "fig3b", key: `${net === "MPE-PSN" ? "mpe-psn" : "lif"}/layer=${i + 1}`, setting: `DVSGesture test set, ${net} network, spiking layer ${i + 1}`, quantity: "spike rate", value: r, unit: pct, source: "papers.md §2.5 [digitised] figs/img_1.png", tolerance: TOLERANCES.digitised, kind: "digitised" }));
}
add({ item: "fig3a", key: "best-acc", setting: "DVSGesture T = 16, best accuracy (★) in the epoch 140–170 zoom", quantity: "test accuracy", value: 97.9, unit: pct, source: "papers.md §2.5 figs/img_1.png + [log]", tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog("dvsgesture/T16", "best-over-epochs") });
add({ item: "fig3a", key: "best-epoch", setting: "DVSGesture T = 16, epoch of the best accuracy", quantity: "epoch", value: 150, unit: "epoch", source: "papers.md §2.5 figs/img_1.png + [log]", tolerance: { abs: 10 }, kind: "trained", log: mpeLog("dvsgesture/T16", "epoch-of-best") });
add({ item: "fig4", key: "best-acc", setting: "CIFAR10-DVS T = 4, MPE-PSN best accuracy (★, Fig. 4c)", quantity: "test accuracy", value: 85, unit: pct, source: "papers.md §2.5 figs/img_2.png (≈85 at ≈ epoch 162)", tolerance: TOLERANCES.trained, kind: "trained", log: { ...mpeLog("cifar10dvs/T4", "best-over-epochs"), match: "claim-tolerance" } });
add({ item: "fig4", key: "lif-best-acc", setting: "CIFAR10-DVS T = 4, vanilla-LIF VGG baseline (Fig. 4c)", quantity: "best test accuracy", value: 83.468, unit: pct, source: "papers.md §2.5 [log] cifar10dvs/T4_..._Vanilla_LIF_...log (epoch 193)", tolerance: TOLERANCES.trained, kind: "trained", log: mpeLog("cifar10dvs/T4-lif", "best-over-epochs") });
add({ item: "fig4", key: "first-epoch-loss/mpe-psn", setting: "CIFAR10-DVS T = 4, first-epoch summed training loss, MPE-PSN", quantity: "summed loss", value: 529.2, unit: "", source: "papers.md §2.5 [log] tfevents train_loss", tolerance: { rel: 0.1 }, kind: "trained", log: { ...mpeLog("cifar10dvs/T4", "first-epoch"), metric: "trainLoss" } });
add({ item: "fig4", key: "first-epoch-loss/lif", setting: "CIFAR10-DVS T = 4, first-epoch summed training loss, vanilla LIF", quantity: "summed loss", value: 564.3, unit: "", source: "papers.md §2.5 [log] tfevents train_loss", tolerance: { rel: 0.1 }, kind: "trained", log: { ...mpeLog("cifar10dvs/T4-lif", "first-epoch"), metric: "trainLoss" } });

export const CLAIMS = Object.freeze(claims);
