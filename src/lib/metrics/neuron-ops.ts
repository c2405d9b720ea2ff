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
