/**
 * Synaptic operations and energy of a trained network (Spikformer recipe, papers.md §3.6 [INFERENCE], §4.2):
 *
 *   SOP_l = fr_l · T · FLOPs_l,   E = E_MAC · T · FLOPs_first + E_AC · Σ_{l ≥ 2} SOP_l
 *
 * with fr_l the firing rate of layer l's **input** (spikes) over the evaluation batches, FLOPs_l its per-step
 * multiply-accumulates (`modelFlops`), E_MAC 4.6 pJ and E_AC 0.9 pJ (45 nm, `ENERGY_PRESETS.fp32`).
 */
import { tf } from "../backend/tf.js";
import { withForwardHooks } from "../layers/hooks.js";
import type { Module } from "../layers/module.js";
import { synapticEnergy, type EnergyBreakdown } from "./energy.js";
import { networkCounts } from "./flops.js";
import { modelFlops, synapseLayers } from "./model-flops.js";
import { evaluationPasses, TensorSummaries } from "./rates.js";

/** Firing rate of each synaptic layer's input over `batches` (eval mode); undefined where the input is not spikes. */
export async function synapseInputRates(model: Module, batches: Iterable<tf.Tensor>): Promise<Map<string, number | undefined>> {
  const sums = new Map<string, { s: number; n: number; spikes: boolean }>();
  const seen = new TensorSummaries();
  try {
    await withForwardHooks(synapseLayers(model), ({ name, input }) => seen.add(name, input), () =>
      evaluationPasses(model, batches, async () => {
        for (const o of await seen.read()) {
          const acc = sums.get(o.name) ?? { s: 0, n: 0, spikes: true };
          acc.spikes &&= o.isSpikes;
          acc.s += o.sum;
          acc.n += o.size;
          sums.set(o.name, acc);
        }
      }));
  } finally {
    seen.dispose(); // what a pass that threw left unread
  }
  return new Map([...sums].map(([k, v]) => [k, v.spikes && v.n ? v.s / v.n : undefined]));
}

export interface NetworkEnergy {
  params: number;
  firstLayerFlops: number;
  sops: number;
  energy: EnergyBreakdown;
  perLayer: { name: string; flops: number; inputRate?: number }[];
}

/**
 * Params, SOPs and energy per sample: `step` is one time step of one sample `[1, 1, …]` (for FLOPs),
 * `batches` the evaluation inputs `[T, B, …]` (for the rates). Layers whose input is not spikes after the
 * first are counted as MACs at every step (e.g. a real-valued residual sum) and listed.
 */
export async function networkEnergy(model: Module, step: tf.Tensor, batches: Iterable<tf.Tensor>, T: number): Promise<NetworkEnergy> {
  const flops = modelFlops(model, step);
  const rates = await synapseInputRates(model, batches);
  const perLayer = flops.map((l) => ({ name: l.name, flops: l.flops, ...(rates.get(l.name) !== undefined ? { inputRate: rates.get(l.name)! } : {}) }));
  const spiking = perLayer.filter((l, i) => i > 0 && l.inputRate !== undefined);
  const dense = perLayer.filter((l, i) => i === 0 || l.inputRate === undefined);
  const counts = networkCounts([{ name: "dense", flops: dense.reduce((s, l) => s + l.flops, 0) }, ...spiking.map((l) => ({ name: l.name, flops: l.flops, inputRate: l.inputRate! }))], T);
  const params = (model.parameters?.() ?? []).reduce((s, p) => s + p.variable.size, 0);
  return { params, firstLayerFlops: counts.firstLayerFlops, sops: counts.sops, energy: synapticEnergy({ firstLayerFlops: counts.firstLayerFlops, sops: counts.sops }), perLayer };
}
