/**
 * The claims of the multiplication-free channel-wise PSN (papers.md §4.2, §4.5): every numeric claim its items check, with the paper's value, source,
 * tolerance and kind. Values are never tuned to results.
 */
import { claimList, TOLERANCES, TRAINED_EPS_PP, type Paper } from "../../lib/repro/claims.js";

export const PAPER: Paper = {
  id: "mulfree",
  title: "Multiplication-Free Parallelizable Spiking Neurons with Efficient Spatio-Temporal Dynamics (NeurIPS 2025, arXiv 2501.14490)",
};

const { add, claims } = claimList(PAPER.id);
const pct = "%";

add({ item: "table2", key: "shd/ours", setting: "SHD, 2-layer FC + mul-free channel-wise PSN + learned delay, seeds 0–2 (± 0.36)", quantity: "test accuracy", value: 95.5, unit: pct, source: "papers.md §4.5 [paper] Table 2", tolerance: { abs: Math.max(2 * 0.36, TRAINED_EPS_PP) }, kind: "trained" });
for (const [name, v] of [["hammouamri-lif-delay", 95.07], ["li-rpsu", 92.49], ["chen-pmsn", 95.1], ["yarga-stochastic-psn-delay", 95.01]] as const) {
  add({ item: "table2", key: `shd/${name}`, setting: `SHD, ${name} (quoted)`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 2", tolerance: TOLERANCES.trained, kind: "reference" });
}
const T3_METHODS = ["ours", "pmsn", "psn", "masked-psn", "sliding-psn", "glif", "plif", "lif"];
const T3 = { cifar10: [91.17, 90.97, 88.45, 85.81, 86.7, 83.66, 83.49, 81.5], cifar100: [66.21, 66.08, 62.21, 60.69, 62.11, 58.92, 57.55, 53.33] };
for (const [ds, vals] of Object.entries(T3)) {
  vals.forEach((v, i) => add({ item: "table3", key: `seq-${ds}/${T3_METHODS[i]}`, setting: `sequential ${ds.toUpperCase()}, ${T3_METHODS[i]}${i === 0 && ds === "cifar100" ? " (k = 16)" : ""}`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 3", tolerance: TOLERANCES.trained, kind: i === 0 ? "trained" : "reference" }));
}
add({ item: "table4", key: "dvs-lip/ours", setting: "DVS-Lip, modified Spiking ResNet-18 + stateful FC", quantity: "test accuracy", value: 70.9, unit: pct, source: "papers.md §4.5 [paper] Table 4", tolerance: TOLERANCES.trained, kind: "trained" });
for (const [name, v] of [["tan-ann-resnet18-bigru", 72.1], ["bulzomi", 60.2], ["dampfhoffer-ann", 75.1], ["dampfhoffer-plif-fc", 68.1], ["dampfhoffer-plif-spikgru2+", 75.3]] as const) {
  add({ item: "table4", key: `dvs-lip/${name}`, setting: `DVS-Lip, ${name} (quoted)`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 4", tolerance: TOLERANCES.trained, kind: "reference" });
}
for (const [key, what] of [["eq15/train-acc", "train"], ["eq15/test-acc", "test"]] as const) {
  add({ item: "fig7", key, setting: "DVS-Lip, modified Spiking ResNet-18, quantiser gradient Eq. 15 instead of the STE (Eq. 16)", quantity: `${what} accuracy after the collapse`, value: 1, unit: pct, source: "papers.md §4.1 [paper] Fig. 7 (NaN gradients, accuracy → 1 %)", tolerance: TOLERANCES.trained, kind: "trained" });
}
add({ item: "table5", key: "sliding-psn-k32/acc", setting: "seq-CIFAR100 T = 32, sliding PSN k = 32, step-by-step inference", quantity: "test accuracy", value: 62.11, unit: pct, source: "papers.md §4.5 [paper] Table 5", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "table5", key: "sliding-psn-k32/memory", setting: "same, inference memory", quantity: "memory", value: 2635, unit: "MB", source: "papers.md §4.5 [paper] Table 5", tolerance: { rel: 0.2 }, kind: "trained" });
add({ item: "table5", key: "ours-k4/acc", setting: "seq-CIFAR100 T = 32, mul-free PSN k = 4, step-by-step inference", quantity: "test accuracy", value: 65.77, unit: pct, source: "papers.md §4.5 [paper] Table 5", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "table5", key: "ours-k4/memory", setting: "same, inference memory", quantity: "memory", value: 547, unit: "MB", source: "papers.md §4.5 [paper] Table 5", tolerance: { rel: 0.2 }, kind: "trained" });
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
  add({ item: "table6", key, setting: "one CIFAR100 image, seq-CIFAR network", quantity, value: v, unit, source: "papers.md §4.5 [paper] Table 6", tolerance: { abs }, kind: "formula" });
}
add({ item: "fig2", key: "receptive-field/sliding", setting: "k = 2, 3 stacked layers, sliding PSN (d = 1)", quantity: "receptive field", value: 4, unit: "steps", source: "papers.md §4.5 [paper] §4.1 / Fig. 2", tolerance: TOLERANCES.exact, kind: "exact" });
add({ item: "fig2", key: "receptive-field/channel-wise", setting: "k = 2, 3 stacked layers, channel-wise PSN with sawtooth dilation", quantity: "receptive field", value: 7, unit: "steps", source: "papers.md §4.5 [paper] §4.1 / Fig. 2", tolerance: TOLERANCES.exact, kind: "exact" });
for (const [w, q] of [[0.3, 0.25], [-0.75, -1], [1.5, 2]] as const) {
  add({ item: "fig3", key: `Q(${w})`, setting: `power-of-two quantiser Q(W) = sign(W)·2^round(log2|W|) at W = ${w}`, quantity: "Q(W)", value: q, unit: "", source: "papers.md §5c [computed] from Eq. 13", tolerance: { abs: 0 }, kind: "exact" });
}
for (const [w, g] of [[0.3, 0.833], [0.35, 0.714], [0.36, 1.389]] as const) {
  add({ item: "fig3", key: `eq15-grad(${w})`, setting: `Eq. 15 gradient 2^round(log2|W|)/|W| at W = ${w}`, quantity: "Q′(W)", value: g, unit: "", source: "papers.md §5c [computed] from Eq. 15 (3 decimals)", tolerance: { abs: 5e-4 }, kind: "formula" });
}
add({ item: "fig3", key: "eq16-grad", setting: "Eq. 16 straight-through gradient, any W", quantity: "Q′(W)", value: 1, unit: "", source: "papers.md §4.1 [paper] Eq. 16", tolerance: { abs: 0 }, kind: "exact" });
add({ item: "table1", key: "int8/energy-ratio", setting: "INT8 at 45 nm: multiplier 0.2 pJ vs shift 0.024 pJ", quantity: "energy reduction", value: 8, unit: "×", source: "papers.md §4.2 [paper] introduction (≈8×)", tolerance: { rel: 0.1 }, kind: "formula" });
add({ item: "table1", key: "int8/area-ratio", setting: "INT8 at 45 nm: multiplier 282 µm² vs shift 34 µm²", quantity: "area reduction", value: 8, unit: "×", source: "papers.md §4.2 [paper] introduction (≈8×)", tolerance: { rel: 0.1 }, kind: "formula" });
add({ item: "table9", key: "max-energy/T^2-coefficient", setting: "mul-free neuron energy at k = T, as stated: 0.515T² + 1.415T", quantity: "coefficient of T²", value: 0.515, unit: "pJ", source: "papers.md §4.2 [paper]", tolerance: TOLERANCES.formula, kind: "formula" });
add({ item: "table9", key: "max-energy/T-coefficient", setting: "same, coefficient of T as stated (its own formula gives 1.93: flagged)", quantity: "coefficient of T", value: 1.415, unit: "pJ", source: "papers.md §4.2 [paper]", tolerance: TOLERANCES.formula, kind: "formula" });
const T10 = {
  "seq-cifar100": [50.24, 63.25, 65.21, 65.77, 66.45, 65.96, 66.58, 66.97, 66.48, 66.38, 66.87, 66.53, 66.06, 67.15, 66.6, 66.21, 66.73, 66.32, 66.41, 66.1, 66.41, 66.23, 66.45, 65.98, 66.56, 66.53, 66.3, 66.4, 66.59, 66.4, 66.62, 66.36],
  "pixel-cifar10/no-dilation": [45.15, 66.21, 69.33, 72.97, 73.9, 75.44, 75.21, 76.72, 79.97, 79.75, 79.8, 79.39, 79.65, 80.07, 79.37, 79.83, 80.13, 80.51, 80.89, 80.56, 81.19, 81.44, 81.0, 80.71, 80.78, 81.26, 81.61, 81.58, 81.7, 80.9, 82.11, 81.84],
  "pixel-cifar10/sawtooth": [45.33, 68.96, 74.21, 76.82, 77.31, 78.92, 79.49, 81.71, 82.67, 82.36, 82.74, 83.24, 82.85, 83.58, 83.32, 83.65, 84.89, 84.84, 84.28, 84.05, 84.04, 84.43, 84.01, 84.11, 83.49, 82.85, 82.6, 82.33, 82.81, 82.71, 82.59, 83.07],
};
for (const [setting, vals] of Object.entries(T10)) {
  vals.forEach((v, i) => add({ item: "table10", key: `${setting}/k=${i + 1}`, setting: `${setting}, order k = ${i + 1}`, quantity: "test accuracy", value: v, unit: pct, source: "papers.md §4.5 [paper] Table 10 / Fig. 5", tolerance: TOLERANCES.trained, kind: "trained" }));
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
      add({ item: "table11", key: `${hw}/${row}/T=${T}`, setting: `${hw.replace("/b", ", batch ")}, ${row === "psn" ? (hw === "a100/b64" ? "first row, labelled 'Autoselect' (presumably PSN)" : "PSN") : `autoselect ${row}`}, T = ${T}`, quantity: "training time per epoch", value: v, unit: "s", source: "papers.md §4.5 [paper] Table 11", tolerance: TOLERANCES.timing, kind: "timing" });
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
    add({ item: "table11", key: `ratio/${row}/T=${T}`, setting: `H20, batch 128, autoselect ${row} ÷ PSN, T = ${T}`, quantity: "training time per epoch relative to PSN", value: +(v / psn).toFixed(3), unit: "×", source: "papers.md §4.5 [computed] Table 11 (H20 rows)", tolerance: { rel: 0.25 }, kind: "timing" });
  });
}

export const CLAIMS = Object.freeze(claims);
