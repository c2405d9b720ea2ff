/**
 * The claims of learnable IMP / LTS / TET-S (papers.md §3.6): every numeric claim its items check, with the paper's value, source,
 * tolerance and kind. Values are never tuned to results.
 */
import { claimList, TOLERANCES, type Paper } from "../../lib/repro/claims.js";

export const PAPER: Paper = {
  id: "imp",
  title: "Rethinking the Membrane Dynamics and Optimization Objectives of SNNs (learnable IMP, LTS, TET-S; NeurIPS 2024)",
};

const { add, claims } = claimList(PAPER.id);
const pct = "%";

add({ item: "abstract", key: "imagenet/gain", setting: "ImageNet, the paper's methods vs baseline (SEW-ResNet-50 67.78 → ≈71.83 [INFERENCE])", quantity: "top-1 accuracy gain", value: 4.05, unit: "pp", source: "papers.md §3.6 [paper] abstract", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "table2", key: "cifar10dvs/imp+tet-s", setting: "CIFAR10-DVS, IMP + TET-S (config cifar10dvs-128_t16_imp_tet-s, decision 5d-6)", quantity: "top-1 test accuracy", value: 87.8, unit: pct, source: "papers.md §3.6 [paper] abstract / Table 2", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "table2", key: "ncaltech101/imp+tet-s", setting: "N-Caltech101, IMP + TET-S", quantity: "top-1 test accuracy", value: 87.86, unit: pct, source: "papers.md §3.6 [paper] abstract / Table 2", tolerance: TOLERANCES.trained, kind: "trained" });
for (const [net, vals] of [["sew-r18", [62.9167, 63.2067, 64.3287]], ["sew-r34", [67.98, 68.1, 68.1]], ["sew-r50", [69.87, 70.33, 71.24]]] as const) {
  (["tet", "sdt", "lts"] as const).forEach((loss, i) => add({ item: "table3", key: `imagenet/${net}/${loss}`, setting: `ImageNet-1k, ${net.toUpperCase()}, T = 4, IF, no IMP, ${loss.toUpperCase()} (candidate for Tables 1/3/6)`, quantity: "top-1 accuracy", value: vals[i]!, unit: pct, source: "papers.md §3.6 [code] comments in IMP-SNN in1k/LTS/run.sh", tolerance: TOLERANCES.trained, kind: "trained", log: { run: `imagenet/${net}/${loss}`, file: "in1k/LTS/run.sh", selection: "comment" } }));
}
add({ item: "table3", key: "imagenet/sew-r34/imp+lts", setting: "ImageNet-1k, SEW-ResNet-34, T = 4, IMP + LTS", quantity: "top-1 accuracy", value: 68.9, unit: pct, source: "papers.md §3.6 secondary: Table 7 of 'Synergy Between the Strong and the Weak' (2025)", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "fig4", key: "step1-acc", setting: "CIFAR10 static SNN, accuracy from output step t = 1 alone", quantity: "test accuracy", value: 10.76, unit: pct, source: "papers.md §3.6 [paper] Fig. 4 description", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "fig4", key: "last-step-acc", setting: "CIFAR10 static SNN, accuracy from the last output step alone (\"rising above 90 %\": 90 % is a lower bound)", quantity: "test accuracy", value: 90, unit: pct, source: "papers.md §3.6 [paper] Fig. 4 description", tolerance: TOLERANCES.trained, kind: "trained" });
add({ item: "fig6", key: "imp-overhead", setting: "IF with vs without IMP, forward + backward", quantity: "time ratio with / without IMP (\"almost no difference\")", value: 1.0, unit: "×", source: "papers.md §3.6 [paper] Fig. 6 (numbers UNKNOWN)", tolerance: { rel: 0.15 }, kind: "timing" });
const MAPS = { "imp=0.0": 54, "imp=0.25": 71, learnable: 108 };
for (const [k, v] of Object.entries(MAPS)) {
  add({ item: "fig3", key: `${k}/mappings`, setting: `IF (v_th 1, soft reset), 4 steps, ${k === "learnable" ? "learnable IMP (IMP ∈ linspace(−1,1,9) × w ∈ linspace(0,1,9))" : `IMP ${k.slice(4)}, w ∈ linspace(0,1,17)`}`, quantity: "input→output pattern mappings", value: v, unit: "maps", source: "papers.md §3.6 [computed] IMP-SNN etc/pattern mapping", tolerance: TOLERANCES.exact, kind: "exact" });
  add({ item: "fig3", key: `${k}/reachable-outputs`, setting: `same, ${k}`, quantity: "reachable output patterns", value: 16, unit: "patterns", source: "papers.md §3.6 [computed]", tolerance: TOLERANCES.exact, kind: "exact" });
}
[2, 2, 3, 3, 3, 4, 5].forEach((n, i) => add({ item: "fig1", key: `adjust-input/neuron=${i}`, setting: `IF soft reset, x = 1/${12 - i} − 1e-7, V₀ = 0, 32 steps, float32`, quantity: "spikes in 32 steps", value: n, unit: "spikes", source: "papers.md §3.6 [computed] float32", tolerance: TOLERANCES.exact, kind: "exact" }));
[2, 2, 2, 2, 2, 3, 3].forEach((n, k) => add({ item: "fig1", key: `adjust-imp/neuron=${k}`, setting: `IF soft reset, IMP = ${k}/12, x = 1/12, 32 steps, float32`, quantity: "spikes in 32 steps", value: n, unit: "spikes", source: "papers.md §3.6 [computed] float32", tolerance: TOLERANCES.exact, kind: "exact" }));
[0, 1, 2, 3, 4, 5, 6].forEach((k) => add({ item: "fig1", key: `adjust-imp/neuron=${k}/first-spike`, setting: `IMP = ${k}/12, x = 1/12`, quantity: "first spike step (0-based) = 12 − k", value: 12 - k, unit: "step", source: "papers.md §3.6 [computed] float32", tolerance: TOLERANCES.exact, kind: "exact" }));

export const CLAIMS = Object.freeze(claims);
