/**
 * Operation counts of the parallel neurons for T steps (mul-free paper Table 1 / Table 9, papers.md §4.2).
 *
 * | neuron                    | ADD                      | MUL / SHIFT          | energy (pJ)                   |
 * |---------------------------|--------------------------|----------------------|-------------------------------|
 * | PSN                       | T² + T                   | T² MUL               | 4.6·T² + 0.9·T                |
 * | sliding PSN (order k)     | (T + 1 − k/2)·k + T      | (T + 1 − k/2)·k MUL  | –                             |
 * | mul-free channel-wise PSN | (T + 1 − k/2)·k + T      | (T + 1 − k/2)·k SHIFT| 1.03·(T + 1 − k/2)·k + 0.9·T  |
 *
 * The formulas are reproduced as the paper writes them. Two inconsistencies are surfaced, not corrected:
 * - the exact number of causal taps (d = 1) is k·(T − (k − 1)/2), not (T + 1 − k/2)·k;
 * - at k = T the paper states the maximum energy as 0.515T² + 1.415T, while its own formula gives
 *   1.03·(T/2 + 1)·T + 0.9T = 0.515T² + 1.93T.
 */
import { tapOffset } from "../neurons/mulfree-psn.js";
import { OP_ENERGY_PJ } from "./energy.js";

export interface OpCount {
  add: number;
  mul: number;
  shift: number;
}

function checkTk(T: number, k?: number): void {
  if (!(Number.isInteger(T) && T > 0)) throw new Error(`T must be a positive integer, got ${T}`);
  if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= T)) throw new Error(`order k must be an integer in [1, T=${T}], got ${k}`);
}

/** Paper's tap count (T + 1 − k/2)·k. */
export function paperTapCount(T: number, k: number): number {
  checkTk(T, k);
  return (T + 1 - k / 2) * k;
}

/** Exact causal tap count with dilation 1: Σ_t min(t + 1, k) = k·(T − (k − 1)/2). */
export function exactTapCount(T: number, k: number): number {
  checkTk(T, k);
  return k * (T - (k - 1) / 2);
}

export function psnOpsFormula(T: number): OpCount {
  checkTk(T);
  return { add: T * T + T, mul: T * T, shift: 0 };
}

export function slidingPsnOpsFormula(T: number, k: number): OpCount {
  const taps = paperTapCount(T, k);
  return { add: taps + T, mul: taps, shift: 0 };
}

export function mulFreePsnOpsFormula(T: number, k: number): OpCount {
  const taps = paperTapCount(T, k);
  return { add: taps + T, mul: 0, shift: taps };
}

/** Table 9 energies as the paper writes them (pJ). */
export function psnEnergyFormulaPj(T: number): number {
  checkTk(T);
  return 4.6 * T * T + 0.9 * T;
}

export function mulFreeEnergyFormulaPj(T: number, k: number): number {
  return 1.03 * paperTapCount(T, k) + 0.9 * T;
}

/** The k = T maximum as the paper states it (flagged: inconsistent with its own formula). */
export function mulFreeMaxEnergyAsStatedPj(T: number): number {
  return 0.515 * T * T + 1.415 * T;
}

/** Energy of an op count with the FP32 45 nm constants (MUL 3.7, ADD 0.9, SHIFT 0.13 pJ). */
export function opEnergyPj(ops: OpCount): number {
  const e = OP_ENERGY_PJ.fp32;
  return ops.add * e.add + ops.mul * e.mul + ops.shift * e.shift;
}

export type NeuronOpsKind = "psn" | "masked-psn" | "sliding-psn" | "mulfree-psn";

/**
 * Operations one neuron performs over T steps, counted by walking its actual tap structure (not by formula).
 * Convention (the one that reproduces the paper's Table 1 for PSN): each tap costs one MUL (SHIFT for the
 * mul-free neuron) and one ADD (accumulate), and each step one more ADD (bias/threshold). PSN: full T×T
 * matrix; masked PSN: the band j ≤ t ≤ j + k − 1 (λ ≥ 1); sliding PSN: k causal taps, d = 1;
 * mul-free: k causal taps at offsets (k−1−i)·d. Compare with {@link paperNeuronOps}. `taps` = the non-zero
 * weight taps reaching a valid (t ≥ 0) input, over all T steps of one neuron.
 */
export function countNeuronOps(kind: NeuronOpsKind, T: number, k = T, d = 1): OpCount & { taps: number } {
  const where = "countNeuronOps";
  if (!(Number.isInteger(T) && T >= 1)) throw new Error(`${where}: T must be an integer >= 1, got ${T}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`${where}: order k must be an integer >= 1, got ${k}`);
  if (!(Number.isInteger(d) && d >= 1)) throw new Error(`${where}: dilation d must be an integer >= 1, got ${d}`);
  let taps = 0;
  switch (kind) {
    case "psn":
      for (let t = 0; t < T; t++) for (let j = 0; j < T; j++) taps++;
      break;
    case "masked-psn":
      if (k > T) throw new Error(`${where}: masked-psn needs k <= T, got k = ${k}, T = ${T}`);
      for (let t = 0; t < T; t++) for (let j = 0; j < T; j++) if (j <= t && t <= j + k - 1) taps++;
      break;
    case "sliding-psn":
    case "mulfree-psn": {
      if (kind === "sliding-psn" && d !== 1) throw new Error(`${where}: the sliding PSN has no dilation; d must be 1, got ${d}`);
      for (let t = 0; t < T; t++) for (let i = 0; i < k; i++) if (t - tapOffset(i, k, d) >= 0) taps++;
      break;
    }
    default:
      throw new Error(`${where}: kind must be "psn", "masked-psn", "sliding-psn" or "mulfree-psn", got ${JSON.stringify(kind)}`);
  }
  const shiftBased = kind === "mulfree-psn";
  return { taps, add: taps + T, mul: shiftBased ? 0 : taps, shift: shiftBased ? taps : 0 };
}

/**
 * The paper's Table 1 formulas, as written (papers.md §4.2): PSN (T² + T) ADD, T² MUL; sliding and mul-free
 * ((T + 1 − k/2)·k + T) ADD and (T + 1 − k/2)·k MUL resp. SHIFT. The exact causal tap count for d = 1 is
 * k·(T − (k − 1)/2), i.e. k/2 fewer than the paper's (flag of §4.2).
 */
export function paperNeuronOps(kind: Exclude<NeuronOpsKind, "masked-psn">, T: number, k = T): OpCount {
  if (kind === "psn") return psnOpsFormula(T);
  if (kind === "sliding-psn") return slidingPsnOpsFormula(T, k);
  if (kind === "mulfree-psn") return mulFreePsnOpsFormula(T, k);
  throw new Error(`paperNeuronOps: kind must be "psn", "sliding-psn" or "mulfree-psn", got ${JSON.stringify(kind)}`);
}
