/**
 * The claims registry: every numeric claim of the three papers (papers.md §1.2, §2.5, §3.6, §4.2, §4.5),
 * the single source used by reports, notebooks and tests. Values are never tuned to results.
 *
 * `kind` says how a claim can be checked:
 * - `exact`: deterministic counts (spike counts, mapping counts, receptive fields) — tolerance 0;
 * - `formula`: closed forms and figures derived from stated counts — relative 1e-3 (paper rounding);
 * - `digitised`: read off a figure image, ±0.2 units as papers.md states (trained/timing values);
 * - `timing`: speed ratios on the paper's hardware; our CPU ratios are compared with a loose tolerance
 *   and the report says the hardware differs;
 * - `trained`: accuracies of training runs — verdicts only at the `paper` scale (toolchain §9: ε per task);
 * - `reference`: other methods' numbers quoted by a paper, kept for completeness, never reproduced.
 */
export type PaperId = "mpe-psn" | "imp" | "mulfree";
export type ClaimKind = "exact" | "formula" | "digitised" | "timing" | "trained" | "reference";

export interface Tolerance {
  abs?: number;
  rel?: number;
}

export interface Claim {
  id: string;
  paper: PaperId;
  item: string;
  setting: string;
  quantity: string;
  value: number;
  unit: string;
  source: string;
  tolerance: Tolerance;
  kind: ClaimKind;
}

export const PAPERS: Record<PaperId, string> = {
  "mpe-psn": "Time-independent Spiking Neuron via Membrane Potential Estimation for Efficient SNNs (MPE-PSN; arXiv 2409.04978)",
  imp: "Rethinking the Membrane Dynamics and Optimization Objectives of SNNs (learnable IMP, LTS, TET-S; NeurIPS 2024)",
  mulfree: "Multiplication-Free Parallelizable Spiking Neurons with Efficient Spatio-Temporal Dynamics (NeurIPS 2025, arXiv 2501.14490)",
};

/** Accuracy tolerance for trained claims, in percentage points (run-to-run spread of these benchmarks). */
export const TRAINED_EPS_PP = 1.0;
const TRAINED: Tolerance = { abs: TRAINED_EPS_PP };
const EXACT: Tolerance = { abs: 0 };
const DIGITISED: Tolerance = { abs: 0.2 };
const FORMULA: Tolerance = { rel: 1e-3 };
/** Speed ratios from a GPU compared with ratios on this CPU: only the magnitude can be expected to agree. */
const TIMING: Tolerance = { rel: 0.5 };

const claims: Claim[] = [];
function add(c: Omit<Claim, "id"> & { key: string }): void {
  const { key, ...rest } = c;
  claims.push({ id: `${c.paper}:${c.item}/${key}`, ...rest });
}
const pct = "%";

// ---------------------------------------------------------------- MPE-PSN (papers.md §2.5)
add({ paper: "mpe-psn", item: "abstract", key: "dvsgesture/T=16", setting: "DVS128 Gesture, DVSGestureNet 64², T = 16", quantity: "top-1 test accuracy", value: 97.92, unit: pct, source: "papers.md §2.5 [paper]; log best 97.917 = 282/288 at epoch 150", tolerance: TRAINED, kind: "trained" });
for (const [T, noMix, mix] of [[4, 84.476, 83.367], [8, 85.585, 86.089], [10, 85.988, 86.694]] as const) {
  add({ paper: "mpe-psn", item: "table1", key: `cifar10dvs/T=${T}/no-mixup`, setting: `CIFAR10-DVS, VGGMPE 48², T = ${T}, no mixup (presumed Table 1)`, quantity: "best test accuracy", value: noMix, unit: pct, source: `papers.md §2.5 [log] cifar10dvs/T${T}_..._TET_frame_sigmoid.log (decision 5d-1)`, tolerance: TRAINED, kind: "trained" });
  add({ paper: "mpe-psn", item: "table1", key: `cifar10dvs/T=${T}/mixup`, setting: `CIFAR10-DVS, VGGMPE 48², T = ${T}, mixup (presumed Table 1)`, quantity: "best test accuracy", value: mix, unit: pct, source: `papers.md §2.5 [log] cifar10dvs/..._TET_mixup_frame_sigmoid.log (decision 5d-1)`, tolerance: TRAINED, kind: "trained" });
}
add({ paper: "mpe-psn", item: "table1", key: "ncaltech101/T=10", setting: "N-Caltech101, DVSGestureNet 128², T = 10 (presumed Table 1)", quantity: "best test accuracy", value: 88.235, unit: pct, source: "papers.md §2.5 [log] NCaltech101/T10_...log (epoch 194)", tolerance: TRAINED, kind: "trained" });
add({ paper: "mpe-psn", item: "table2", key: "cifar10/resnet19/T=4", setting: "CIFAR10, ResNet-19, T = 4 (log only; presence in the paper unconfirmed)", quantity: "best test accuracy", value: 94.36, unit: pct, source: "papers.md §2.5 [log] cifar/model_resnet19_T4_...log", tolerance: TRAINED, kind: "trained" });
const FIG1: Record<string, number[]> = { "2^10": [2.5, 6.1, 10.9, 21.7, 43.5], "2^12": [2.1, 4.2, 8.2, 17.0, 34.9], "2^14": [1.7, 3.5, 7.2, 13.7, 30.8], "2^16": [0.8, 1.7, 4.6, 11.7, 21.9] };
for (const [N, ratios] of Object.entries(FIG1)) {
  ratios.forEach((r, i) => {
    const T = [4, 8, 16, 32, 64][i]!;
    add({ paper: "mpe-psn", item: "fig1", key: `N=${N}/T=${T}`, setting: `forward pass, N = ${N} neurons, T = ${T} (paper: GPU, protocol UNKNOWN)`, quantity: "speed-up T(vanilla LIF) / T(MPE-PSN)", value: r, unit: "×", source: "papers.md §2.5 [digitised] figs/img_3.png", tolerance: TIMING, kind: "timing" });
  });
}
const FIG3B = { "MPE-PSN": [5.2, 3.0, 1.0, 2.9, 5.5, 22.2], "vanilla LIF": [0.6, 0.8, 2.8, 2.5, 4.3, 16.6] };
for (const [net, rates] of Object.entries(FIG3B)) {
  rates.forEach((r, i) => add({ paper: "mpe-psn", item: "fig3b", key: `${net === "MPE-PSN" ? "mpe-psn" : "lif"}/layer=${i + 1}`, setting: `DVSGesture test set, ${net} network, spiking layer ${i + 1}`, quantity: "spike rate", value: r, unit: pct, source: "papers.md §2.5 [digitised] figs/img_1.png", tolerance: DIGITISED, kind: "digitised" }));
}
add({ paper: "mpe-psn", item: "fig3a", key: "best-acc", setting: "DVSGesture T = 16, best accuracy (★) in the epoch 140–170 zoom", quantity: "test accuracy", value: 97.9, unit: pct, source: "papers.md §2.5 figs/img_1.png + [log]", tolerance: TRAINED, kind: "trained" });
add({ paper: "mpe-psn", item: "fig3a", key: "best-epoch", setting: "DVSGesture T = 16, epoch of the best accuracy", quantity: "epoch", value: 150, unit: "epoch", source: "papers.md §2.5 figs/img_1.png + [log]", tolerance: { abs: 10 }, kind: "trained" });
add({ paper: "mpe-psn", item: "fig4", key: "best-acc", setting: "CIFAR10-DVS T = 4, MPE-PSN best accuracy (★, Fig. 4c)", quantity: "test accuracy", value: 85, unit: pct, source: "papers.md §2.5 figs/img_2.png (≈85 at ≈ epoch 162)", tolerance: TRAINED, kind: "trained" });
add({ paper: "mpe-psn", item: "fig4", key: "lif-best-acc", setting: "CIFAR10-DVS T = 4, vanilla-LIF VGG baseline (Fig. 4c)", quantity: "best test accuracy", value: 83.468, unit: pct, source: "papers.md §2.5 [log] cifar10dvs/T4_..._Vanilla_LIF_...log (epoch 193)", tolerance: TRAINED, kind: "trained" });
add({ paper: "mpe-psn", item: "fig4", key: "first-epoch-loss/mpe-psn", setting: "CIFAR10-DVS T = 4, first-epoch summed training loss, MPE-PSN", quantity: "summed loss", value: 529.2, unit: "", source: "papers.md §2.5 [log] tfevents train_loss", tolerance: { rel: 0.1 }, kind: "trained" });
add({ paper: "mpe-psn", item: "fig4", key: "first-epoch-loss/lif", setting: "CIFAR10-DVS T = 4, first-epoch summed training loss, vanilla LIF", quantity: "summed loss", value: 564.3, unit: "", source: "papers.md §2.5 [log] tfevents train_loss", tolerance: { rel: 0.1 }, kind: "trained" });

// ---------------------------------------------------------------- IMP / LTS / TET-S (papers.md §3.6)
add({ paper: "imp", item: "abstract", key: "imagenet/gain", setting: "ImageNet, the paper's methods vs baseline (SEW-ResNet-50 67.78 → ≈71.83 [INFERENCE])", quantity: "top-1 accuracy gain", value: 4.05, unit: "pp", source: "papers.md §3.6 [paper] abstract", tolerance: TRAINED, kind: "trained" });
add({ paper: "imp", item: "table2", key: "cifar10dvs/imp+tet-s", setting: "CIFAR10-DVS, IMP + TET-S (config cifar10dvs-128_t16_imp_tet-s, decision 5d-6)", quantity: "top-1 test accuracy", value: 87.8, unit: pct, source: "papers.md §3.6 [paper] abstract / Table 2", tolerance: TRAINED, kind: "trained" });
add({ paper: "imp", item: "table2", key: "ncaltech101/imp+tet-s", setting: "N-Caltech101, IMP + TET-S", quantity: "top-1 test accuracy", value: 87.86, unit: pct, source: "papers.md §3.6 [paper] abstract / Table 2", tolerance: TRAINED, kind: "trained" });
for (const [net, vals] of [["sew-r18", [62.9167, 63.2067, 64.3287]], ["sew-r34", [67.98, 68.1, 68.1]], ["sew-r50", [69.87, 70.33, 71.24]]] as const) {
  (["tet", "sdt", "lts"] as const).forEach((loss, i) => add({ paper: "imp", item: "table3", key: `imagenet/${net}/${loss}`, setting: `ImageNet-1k, ${net.toUpperCase()}, T = 4, IF, no IMP, ${loss.toUpperCase()} (candidate for Tables 1/3/6)`, quantity: "top-1 accuracy", value: vals[i]!, unit: pct, source: "papers.md §3.6 [code] comments in IMP-SNN in1k/LTS/run.sh", tolerance: TRAINED, kind: "trained" }));
}
add({ paper: "imp", item: "table3", key: "imagenet/sew-r34/imp+lts", setting: "ImageNet-1k, SEW-ResNet-34, T = 4, IMP + LTS", quantity: "top-1 accuracy", value: 68.9, unit: pct, source: "papers.md §3.6 secondary: Table 7 of 'Synergy Between the Strong and the Weak' (2025)", tolerance: TRAINED, kind: "trained" });
add({ paper: "imp", item: "fig4", key: "step1-acc", setting: "CIFAR10 static SNN, accuracy from output step t = 1 alone", quantity: "test accuracy", value: 10.76, unit: pct, source: "papers.md §3.6 [paper] Fig. 4 description", tolerance: TRAINED, kind: "trained" });
add({ paper: "imp", item: "fig4", key: "last-step-acc", setting: "CIFAR10 static SNN, accuracy from the last output step alone (\"rising above 90 %\": 90 % is a lower bound)", quantity: "test accuracy", value: 90, unit: pct, source: "papers.md §3.6 [paper] Fig. 4 description", tolerance: TRAINED, kind: "trained" });
add({ paper: "imp", item: "fig6", key: "imp-overhead", setting: "IF with vs without IMP, forward + backward", quantity: "time ratio with / without IMP (\"almost no difference\")", value: 1.0, unit: "×", source: "papers.md §3.6 [paper] Fig. 6 (numbers UNKNOWN)", tolerance: { rel: 0.15 }, kind: "timing" });
const MAPS = { "imp=0.0": 54, "imp=0.25": 71, learnable: 108 };
for (const [k, v] of Object.entries(MAPS)) {
  add({ paper: "imp", item: "fig3", key: `${k}/mappings`, setting: `IF (v_th 1, soft reset), 4 steps, ${k === "learnable" ? "learnable IMP (IMP ∈ linspace(−1,1,9) × w ∈ linspace(0,1,9))" : `IMP ${k.slice(4)}, w ∈ linspace(0,1,17)`}`, quantity: "input→output pattern mappings", value: v, unit: "maps", source: "papers.md §3.6 [computed] IMP-SNN etc/pattern mapping", tolerance: EXACT, kind: "exact" });
  add({ paper: "imp", item: "fig3", key: `${k}/reachable-outputs`, setting: `same, ${k}`, quantity: "reachable output patterns", value: 16, unit: "patterns", source: "papers.md §3.6 [computed]", tolerance: EXACT, kind: "exact" });
}
[2, 2, 3, 3, 3, 4, 5].forEach((n, i) => add({ paper: "imp", item: "fig1", key: `adjust-input/neuron=${i}`, setting: `IF soft reset, x = 1/${12 - i} − 1e-7, V₀ = 0, 32 steps, float32`, quantity: "spikes in 32 steps", value: n, unit: "spikes", source: "papers.md §3.6 [computed] float32", tolerance: EXACT, kind: "exact" }));
[2, 2, 2, 2, 2, 3, 3].forEach((n, k) => add({ paper: "imp", item: "fig1", key: `adjust-imp/neuron=${k}`, setting: `IF soft reset, IMP = ${k}/12, x = 1/12, 32 steps, float32`, quantity: "spikes in 32 steps", value: n, unit: "spikes", source: "papers.md §3.6 [computed] float32", tolerance: EXACT, kind: "exact" }));
[0, 1, 2, 3, 4, 5, 6].forEach((k) => add({ paper: "imp", item: "fig1", key: `adjust-imp/neuron=${k}/first-spike`, setting: `IMP = ${k}/12, x = 1/12`, quantity: "first spike step (0-based) = 12 − k", value: 12 - k, unit: "step", source: "papers.md §3.6 [computed] float32", tolerance: EXACT, kind: "exact" }));

// ---------------------------------------------------------------- mul-free channel-wise PSN (papers.md §4.2, §4.5)
add({ paper: "mulfree", item: "table2", key: "shd/ours", setting: "SHD, 2-layer FC + mul-free channel-wise PSN + learned delay, seeds 0–2 (± 0.36)", quantity: "test accuracy", value: 95.5, unit: pct, source: "papers.md §4.5 [paper] Table 2", tolerance: { abs: Math.max(2 * 0.36, TRAINED_EPS_PP) }, kind: "trained" });
for (const [name, v] of [["hammouamri-lif-delay", 95.07], ["li-rpsu", 92.49], ["chen-pmsn", 95.1], ["yarga-stochastic-psn-delay", 95.01]] as const) {
  add({ paper: "mulfree", item: "table2", key: `shd/${name}`, setting: `SHD, ${name} (quoted)`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 2", tolerance: TRAINED, kind: "reference" });
}
const T3_METHODS = ["ours", "pmsn", "psn", "masked-psn", "sliding-psn", "glif", "plif", "lif"];
const T3 = { cifar10: [91.17, 90.97, 88.45, 85.81, 86.7, 83.66, 83.49, 81.5], cifar100: [66.21, 66.08, 62.21, 60.69, 62.11, 58.92, 57.55, 53.33] };
for (const [ds, vals] of Object.entries(T3)) {
  vals.forEach((v, i) => add({ paper: "mulfree", item: "table3", key: `seq-${ds}/${T3_METHODS[i]}`, setting: `sequential ${ds.toUpperCase()}, ${T3_METHODS[i]}${i === 0 && ds === "cifar100" ? " (k = 16)" : ""}`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 3", tolerance: TRAINED, kind: i === 0 ? "trained" : "reference" }));
}
add({ paper: "mulfree", item: "table4", key: "dvs-lip/ours", setting: "DVS-Lip, modified Spiking ResNet-18 + stateful FC", quantity: "test accuracy", value: 70.9, unit: pct, source: "papers.md §4.5 [paper] Table 4", tolerance: TRAINED, kind: "trained" });
for (const [name, v] of [["tan-ann-resnet18-bigru", 72.1], ["bulzomi", 60.2], ["dampfhoffer-ann", 75.1], ["dampfhoffer-plif-fc", 68.1], ["dampfhoffer-plif-spikgru2+", 75.3]] as const) {
  add({ paper: "mulfree", item: "table4", key: `dvs-lip/${name}`, setting: `DVS-Lip, ${name} (quoted)`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 4", tolerance: TRAINED, kind: "reference" });
}
add({ paper: "mulfree", item: "table5", key: "sliding-psn-k32/acc", setting: "seq-CIFAR100 T = 32, sliding PSN k = 32, step-by-step inference", quantity: "test accuracy", value: 62.11, unit: pct, source: "papers.md §4.5 [paper] Table 5", tolerance: TRAINED, kind: "trained" });
add({ paper: "mulfree", item: "table5", key: "sliding-psn-k32/memory", setting: "same, inference memory", quantity: "memory", value: 2635, unit: "MB", source: "papers.md §4.5 [paper] Table 5", tolerance: { rel: 0.2 }, kind: "trained" });
add({ paper: "mulfree", item: "table5", key: "ours-k4/acc", setting: "seq-CIFAR100 T = 32, mul-free PSN k = 4, step-by-step inference", quantity: "test accuracy", value: 65.77, unit: pct, source: "papers.md §4.5 [paper] Table 5", tolerance: TRAINED, kind: "trained" });
add({ paper: "mulfree", item: "table5", key: "ours-k4/memory", setting: "same, inference memory", quantity: "memory", value: 547, unit: "MB", source: "papers.md §4.5 [paper] Table 5", tolerance: { rel: 0.2 }, kind: "trained" });
/** Table 6 cells with the half-unit of their last printed digit (counts) or ±0.01 µJ (energies, sums of rounded cells). */
const T6: [string, string, number, string, number][] = [
  ["psn/neuron-mul", "PSN neuron layer multiplications", 1.91e7, "ops", 5e4], ["psn/neuron-add", "PSN neuron layer additions", 1.97e7, "ops", 5e4],
  ["psn/neuron-energy", "PSN neuron layer energy", 88.56, "µJ", 0.01], ["psn/synaptic-flops", "PSN synaptic first-layer FLOPs", 0.041e6, "ops", 500],
  ["psn/synaptic-sops", "PSN synaptic SOPs", 3.194e6, "ops", 500], ["psn/synaptic-energy", "PSN synaptic energy", 3.06, "µJ", 0.01], ["psn/total-energy", "PSN total energy", 91.62, "µJ", 0.01],
  ["ours/neuron-shift", "mul-free neuron layer shifts", 7.32e6, "ops", 5e3], ["ours/neuron-add", "mul-free neuron layer additions", 7.92e6, "ops", 5e3],
  ["ours/neuron-energy", "mul-free neuron layer energy", 8.08, "µJ", 0.01], ["ours/synaptic-flops", "mul-free synaptic first-layer FLOPs", 0.041e6, "ops", 500],
  ["ours/synaptic-sops", "mul-free synaptic SOPs", 2.66e6, "ops", 500], ["ours/synaptic-energy", "mul-free synaptic energy", 2.58, "µJ", 0.01], ["ours/total-energy", "mul-free total energy", 10.66, "µJ", 0.01],
];
for (const [key, quantity, v, unit, abs] of T6) {
  add({ paper: "mulfree", item: "table6", key, setting: "one CIFAR100 image, seq-CIFAR network", quantity, value: v, unit, source: "papers.md §4.5 [paper] Table 6", tolerance: { abs }, kind: "formula" });
}
add({ paper: "mulfree", item: "fig2", key: "receptive-field/sliding", setting: "k = 2, 3 stacked layers, sliding PSN (d = 1)", quantity: "receptive field", value: 4, unit: "steps", source: "papers.md §4.5 [paper] §4.1 / Fig. 2", tolerance: EXACT, kind: "exact" });
add({ paper: "mulfree", item: "fig2", key: "receptive-field/channel-wise", setting: "k = 2, 3 stacked layers, channel-wise PSN with sawtooth dilation", quantity: "receptive field", value: 7, unit: "steps", source: "papers.md §4.5 [paper] §4.1 / Fig. 2", tolerance: EXACT, kind: "exact" });
for (const [w, q] of [[0.3, 0.25], [-0.75, -1], [1.5, 2]] as const) {
  add({ paper: "mulfree", item: "fig3", key: `Q(${w})`, setting: `power-of-two quantiser Q(W) = sign(W)·2^round(log2|W|) at W = ${w}`, quantity: "Q(W)", value: q, unit: "", source: "papers.md §5c [computed] from Eq. 13", tolerance: { abs: 0 }, kind: "exact" });
}
for (const [w, g] of [[0.3, 0.833], [0.35, 0.714], [0.36, 1.389]] as const) {
  add({ paper: "mulfree", item: "fig3", key: `eq15-grad(${w})`, setting: `Eq. 15 gradient 2^round(log2|W|)/|W| at W = ${w}`, quantity: "Q′(W)", value: g, unit: "", source: "papers.md §5c [computed] from Eq. 15 (3 decimals)", tolerance: { abs: 5e-4 }, kind: "formula" });
}
add({ paper: "mulfree", item: "fig3", key: "eq16-grad", setting: "Eq. 16 straight-through gradient, any W", quantity: "Q′(W)", value: 1, unit: "", source: "papers.md §4.1 [paper] Eq. 16", tolerance: { abs: 0 }, kind: "exact" });
add({ paper: "mulfree", item: "table1", key: "int8/energy-ratio", setting: "INT8 at 45 nm: multiplier 0.2 pJ vs shift 0.024 pJ", quantity: "energy reduction", value: 8, unit: "×", source: "papers.md §4.2 [paper] introduction (≈8×)", tolerance: { rel: 0.1 }, kind: "formula" });
add({ paper: "mulfree", item: "table1", key: "int8/area-ratio", setting: "INT8 at 45 nm: multiplier 282 µm² vs shift 34 µm²", quantity: "area reduction", value: 8, unit: "×", source: "papers.md §4.2 [paper] introduction (≈8×)", tolerance: { rel: 0.1 }, kind: "formula" });
add({ paper: "mulfree", item: "table9", key: "max-energy/T^2-coefficient", setting: "mul-free neuron energy at k = T, as stated: 0.515T² + 1.415T", quantity: "coefficient of T²", value: 0.515, unit: "pJ", source: "papers.md §4.2 [paper]", tolerance: FORMULA, kind: "formula" });
add({ paper: "mulfree", item: "table9", key: "max-energy/T-coefficient", setting: "same, coefficient of T as stated (its own formula gives 1.93: flagged)", quantity: "coefficient of T", value: 1.415, unit: "pJ", source: "papers.md §4.2 [paper]", tolerance: FORMULA, kind: "formula" });
const T10 = {
  "seq-cifar100": [50.24, 63.25, 65.21, 65.77, 66.45, 65.96, 66.58, 66.97, 66.48, 66.38, 66.87, 66.53, 66.06, 67.15, 66.6, 66.21, 66.73, 66.32, 66.41, 66.1, 66.41, 66.23, 66.45, 65.98, 66.56, 66.53, 66.3, 66.4, 66.59, 66.4, 66.62, 66.36],
  "pixel-cifar10/no-dilation": [45.15, 66.21, 69.33, 72.97, 73.9, 75.44, 75.21, 76.72, 79.97, 79.75, 79.8, 79.39, 79.65, 80.07, 79.37, 79.83, 80.13, 80.51, 80.89, 80.56, 81.19, 81.44, 81.0, 80.71, 80.78, 81.26, 81.61, 81.58, 81.7, 80.9, 82.11, 81.84],
  "pixel-cifar10/sawtooth": [45.33, 68.96, 74.21, 76.82, 77.31, 78.92, 79.49, 81.71, 82.67, 82.36, 82.74, 83.24, 82.85, 83.58, 83.32, 83.65, 84.89, 84.84, 84.28, 84.05, 84.04, 84.43, 84.01, 84.11, 83.49, 82.85, 82.6, 82.33, 82.81, 82.71, 82.59, 83.07],
};
for (const [setting, vals] of Object.entries(T10)) {
  vals.forEach((v, i) => add({ paper: "mulfree", item: "table10", key: `${setting}/k=${i + 1}`, setting: `${setting}, order k = ${i + 1}`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 10 / Fig. 5", tolerance: TRAINED, kind: "trained" }));
}
const T11: Record<string, Record<string, (number | null)[]>> = {
  "h20/b128": { psn: [10.07, 16.79, 27.47, 50.27, 102.42], "k=2": [12.63, 22.25, 40.99, 84.65, 153.95], "k=4": [null, 23.09, 42.85, 83.22, 154.06], "k=8": [null, null, 45.33, 81.44, 154.44] },
  "a100/b32": { psn: [20.11, 23.57, 32.88, 50.13, 88.62], "k=2": [29.83, 39.73, 56.4, 105.82, 215.23], "k=4": [null, 35.11, 50.91, 104.4, 225.88], "k=8": [null, null, 52.17, 96.41, 187.18] },
  "a100/b64": { psn: [13.72, 17.46, 27.47, 45.84, 85.79], "k=2": [19.75, 31.94, 47.13, 96.79, 197.29], "k=4": [null, 32.98, 47.55, 101.88, 217.38], "k=8": [null, null, 48.86, 105.86, 245.72] },
};
for (const [hw, rows] of Object.entries(T11)) {
  for (const [row, vals] of Object.entries(rows)) {
    vals.forEach((v, i) => {
      if (v === null) return;
      const T = [2, 4, 8, 16, 32][i]!;
      add({ paper: "mulfree", item: "table11", key: `${hw}/${row}/T=${T}`, setting: `${hw.replace("/b", ", batch ")}, ${row === "psn" ? (hw === "a100/b64" ? "first row, labelled 'Autoselect' (presumably PSN)" : "PSN") : `autoselect ${row}`}, T = ${T}`, quantity: "training time per epoch", value: v, unit: "s", source: "papers.md §4.5 [paper] Table 11", tolerance: TIMING, kind: "timing" });
    });
  }
}

// Table 11 as ratios to the PSN row of the same hardware and T [computed from the printed s/epoch]: a GPU's
// absolute seconds cannot be compared with a CPU's, the relative cost of the neuron can.
for (const [row, vals] of Object.entries(T11["h20/b128"]!)) {
  if (row === "psn") continue;
  vals.forEach((v, i) => {
    if (v === null) return;
    const T = [2, 4, 8, 16, 32][i]!;
    const psn = T11["h20/b128"]!.psn![i]!;
    add({ paper: "mulfree", item: "table11", key: `ratio/${row}/T=${T}`, setting: `H20, batch 128, autoselect ${row} ÷ PSN, T = ${T}`, quantity: "training time per epoch relative to PSN", value: +(v / psn).toFixed(3), unit: "×", source: "papers.md §4.5 [computed] Table 11 (H20 rows)", tolerance: { rel: 0.25 }, kind: "timing" });
  });
}

export const CLAIMS: readonly Claim[] = Object.freeze(claims);

const byId = new Map(CLAIMS.map((c) => [c.id, c]));
if (byId.size !== CLAIMS.length) throw new Error("claims registry: duplicate claim ids");

export function getClaim(id: string): Claim {
  const c = byId.get(id);
  if (!c) throw new Error(`unknown claim id '${id}'`);
  return c;
}

export function claimsFor(paper: PaperId, item: string): Claim[] {
  return CLAIMS.filter((c) => c.paper === paper && c.item === item);
}
