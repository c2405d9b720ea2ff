/**
 * Energy conventions (events-and-parity.md §5; papers.md §4.2).
 *
 * Synaptic energy, Spikformer recipe:  E = E_MAC·FLOPs(first layer) + E_AC·Σ_l SOPs_l,
 * where the first (encoding) layer receives real values and counts as MACs, every later layer
 * receives spikes and counts accumulate-only operations, `SOPs_l = fr_l · T · FLOPs_l`.
 * Neuron-dynamics energy (mul-free paper Table 6): E = E_MUL·#MUL + E_ADD·#ADD + E_SHIFT·#SHIFT.
 * All constants are 45 nm figures (Horowitz, ISSCC 2014; ShiftAddNAS / ShiftAddViT for shifts).
 */

/** Energy per synaptic operation, picojoules. */
export interface SynapticEnergyPreset {
  name: string;
  macPj: number;
  acPj: number;
}

export const ENERGY_PRESETS = {
  fp32: { name: "fp32", macPj: 4.6, acPj: 0.9 },
  fp16: { name: "fp16", macPj: 1.5, acPj: 0.4 },
  int8: { name: "int8", macPj: 0.23, acPj: 0.03 },
} as const satisfies Record<string, SynapticEnergyPreset>;

/** Energy per arithmetic operation, picojoules (mul-free paper §4.2). */
export const OP_ENERGY_PJ = {
  fp32: { mul: 3.7, add: 0.9, shift: 0.13 },
  /** INT8 multiplier vs shifter (mul-free paper introduction, via ShiftAddViT): energy and area. */
  int8: { mul: 0.2, shift: 0.024, mulAreaUm2: 282, shiftAreaUm2: 34 },
} as const;

export interface SynapticCounts {
  /** FLOPs (MACs) of the first layer, which sees real-valued input. */
  firstLayerFlops: number;
  /** Σ over spike-driven layers of SOPs = fr · T · FLOPs. */
  sops: number;
}

export interface EnergyBreakdown {
  macPj: number;
  acPj: number;
  totalPj: number;
}

/** E = E_MAC·FLOPs₁ + E_AC·ΣSOPs, in pJ. */
export function synapticEnergy(counts: SynapticCounts, preset: SynapticEnergyPreset = ENERGY_PRESETS.fp32): EnergyBreakdown {
  for (const [k, v] of Object.entries(counts)) {
    if (!(v >= 0)) throw new Error(`synapticEnergy: ${k} must be a non-negative count, got ${v}`);
  }
  const macPj = preset.macPj * counts.firstLayerFlops;
  const acPj = preset.acPj * counts.sops;
  return { macPj, acPj, totalPj: macPj + acPj };
}

export interface NeuronOpCounts {
  mul?: number;
  add?: number;
  shift?: number;
}

/** Energy of neuron dynamics from operation counts (FP32 MUL 3.7, ADD 0.9, shift 0.13 pJ). */
export function neuronOpEnergy(ops: NeuronOpCounts, pj: { mul: number; add: number; shift: number } = OP_ENERGY_PJ.fp32): number {
  return (ops.mul ?? 0) * pj.mul + (ops.add ?? 0) * pj.add + (ops.shift ?? 0) * pj.shift;
}

/** Picojoules to microjoules / millijoules, for reports. */
export const pjToUj = (pj: number) => pj * 1e-6;
export const pjToMj = (pj: number) => pj * 1e-9;
