/**
 * IMP paper, Fig. 3 — pattern mapping of an IF neuron over T = 4 steps (papers.md §3.7).
 *
 * Inputs: all 16 binary patterns of length 4 (bit string, MSB = t = 0), scaled by a weight w, fed to a
 * SpikingJelly IF neuron (V_th = 1, soft reset, Θ(x) = 1 iff x ≥ 0) whose initial potential is the
 * IMP. M[out][in] = 1 when output pattern `out` is produced from input pattern `in` by some (IMP, w):
 * (a) IMP 0.0, w ∈ linspace(0, 1, 17); (b) IMP 0.25, same w; (c) "learnable": IMP ∈ linspace(−1, 1, 9)
 * × w ∈ linspace(0, 1, 9). The claim is the number of mappings Σ M (54 / 71 / 108) and that all 16
 * outputs are reachable. Every (pattern, IMP, w) combination runs in one batched IF call in float32.
 */
import { tf } from "../../lib/backend/tf.js";
import { panels, heatmap } from "../../lib/plot/charts.js";
import { ifMultiStep } from "../../lib/neurons/if.js";
import type { ItemResult, RunContext } from "../../lib/repro/item.js";

export const T_STEPS = 4;
const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const bits = (p: number) => Array.from({ length: T_STEPS }, (_, t) => (p >> (T_STEPS - 1 - t)) & 1);
export const patternLabel = (p: number) => bits(p).join("");

export interface MappingPanel {
  key: "imp=0.0" | "imp=0.25" | "learnable";
  title: string;
  /** reach[out][in] ∈ {0, 1}. */
  reach: number[][];
  mappings: number;
  reachableOutputs: number;
}

/** Reachability matrix of the IF neuron over all (IMP, w) pairs. */
export function reachability(imps: number[], weights: number[]): number[][] {
  const combos = imps.flatMap((imp) => weights.map((w) => [imp, w] as const));
  const n = 16 * combos.length;
  const x = new Float32Array(T_STEPS * n);
  const v0 = new Float32Array(n);
  combos.forEach(([imp, w], c) => {
    for (let p = 0; p < 16; p++) {
      const j = c * 16 + p;
      v0[j] = imp;
      bits(p).forEach((b, t) => (x[t * n + j] = b * w));
    }
  });
  const spikes = tf.tidy(() => ifMultiStep(tf.tensor2d(x, [T_STEPS, n]), tf.tensor1d(v0), { vThreshold: 1, vReset: null }).spikes);
  const s = spikes.dataSync();
  spikes.dispose();
  const reach = Array.from({ length: 16 }, () => new Array<number>(16).fill(0));
  for (let j = 0; j < n; j++) {
    let out = 0;
    for (let t = 0; t < T_STEPS; t++) out = (out << 1) | (s[t * n + j]! > 0.5 ? 1 : 0);
    reach[out]![j % 16] = 1;
  }
  return reach;
}

export function mappingPanels(): MappingPanel[] {
  const w17 = linspace(0, 1, 17);
  const defs: [MappingPanel["key"], string, number[], number[]][] = [
    ["imp=0.0", "(a) IMP = 0.0", [0], w17],
    ["imp=0.25", "(b) IMP = 0.25", [0.25], w17],
    ["learnable", "(c) learnable IMP", linspace(-1, 1, 9), linspace(0, 1, 9)],
  ];
  return defs.map(([key, title, imps, ws]) => {
    const reach = reachability(imps, ws);
    return {
      key, title, reach,
      mappings: reach.flat().reduce((a, b) => a + b, 0),
      reachableOutputs: reach.filter((row) => row.some((v) => v)).length,
    };
  });
}

export async function run(_ctx: RunContext): Promise<ItemResult> {
  const ps = mappingPanels();
  const labels = Array.from({ length: 16 }, (_, p) => patternLabel(p));
  return {
    title: "IF pattern mapping over 4 steps at IMP 0.0, 0.25 and learnable",
    data: Object.fromEntries(ps.map((p) => [p.key, { reach: p.reach, mappings: p.mappings, reachableOutputs: p.reachableOutputs }])),
    reproduced: ps.flatMap((p) => [
      { claimId: `imp:fig3/${p.key}/mappings`, value: p.mappings, note: `${p.mappings}/16 = ${p.mappings / 16} outputs per input` },
      { claimId: `imp:fig3/${p.key}/reachable-outputs`, value: p.reachableOutputs },
    ]),
    figures: [{
      name: "fig3",
      spec: panels("IMP Fig. 3: reachable output patterns of an IF neuron (T = 4)", ps.map((p) => heatmap({
        values: p.reach, title: `${p.title}: ${p.mappings} mappings`, xTitle: "input pattern (t = 0 first)", yTitle: "output pattern",
        colorTitle: "reachable", xLabels: labels, yLabels: labels, scheme: "greys", cellSize: 16,
      }))),
    }],
    notes: [
      "Deterministic: computed the same way at every scale, so the counts are compared exactly.",
      "IF neuron: V_th = 1, soft reset, Θ(x) = 1 iff x ≥ 0 (SpikingJelly), float32, initial potential = IMP.",
    ],
  };
}
