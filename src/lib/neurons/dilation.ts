/**
 * Sawtooth dilation schedule of the multiplication-free channel-wise PSN (papers.md §4.1 Eq. 11, decision §5d-7).
 *
 * Stacked layers l = 0 … L−1 each convolve over time with order k and dilation d^l, so the temporal
 * receptive field of the stack is
 *
 *   R = 1 + Σ_l d^l · (k − 1).
 *
 * The paper cites hybrid dilated convolution (HDC, Wang et al., WACV 2018): d⁰ = 1 and d grows layer by
 * layer in a sawtooth, but the exact rule is not recoverable from the prose. The only constraint
 * (Fig. 2 text) is k = 2, 3 layers → sliding PSN sees 4 steps, channel-wise PSN 7, so Σ d^l = 6 → d = 1, 2, 3.
 * Decision (§5d-7): increment by one, d^l = (l mod P) + 1, with a pluggable reset period P (default:
 * no reset, P = L). Doubling (1, 2, 4) would give 8 and is rejected. A custom `rule(l, k)` can replace
 * the whole schedule until the official code (`Tab-ct/chwPSN`, unverified) is checked.
 */

export interface SawtoothOptions {
  /** Reset period P: d^l = (l mod P) + 1. Default: the number of layers (no reset: 1, 2, 3, …). */
  period?: number;
  /** Replace the rule entirely: returns d for layer l (0-based) and order k; must be an integer ≥ 1. */
  rule?: (layer: number, k: number) => number;
}

/** Dilations d^0 … d^{L−1} of a stack of `numLayers` channel-wise PSN layers of order k. */
export function sawtoothDilations(numLayers: number, k: number, opts: SawtoothOptions = {}): number[] {
  if (!(Number.isInteger(numLayers) && numLayers >= 0)) throw new Error(`sawtoothDilations: numLayers must be an integer >= 0, got ${numLayers}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`sawtoothDilations: order k must be an integer >= 1, got ${k}`);
  const period = opts.period ?? Math.max(numLayers, 1);
  if (!(Number.isInteger(period) && period >= 1)) throw new Error(`sawtoothDilations: period must be an integer >= 1, got ${period}`);
  const out: number[] = [];
  for (let l = 0; l < numLayers; l++) {
    const d = opts.rule ? opts.rule(l, k) : (l % period) + 1;
    if (!(Number.isInteger(d) && d >= 1)) throw new Error(`sawtoothDilations: rule gave dilation ${d} for layer ${l}; expected an integer >= 1`);
    out.push(d);
  }
  return out;
}

/** Temporal receptive field R = 1 + Σ_l d^l·(k − 1) of stacked causal dilated layers of order k. */
export function receptiveField(dilations: readonly number[], k: number): number {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`receptiveField: order k must be an integer >= 1, got ${k}`);
  let r = 1;
  for (const [l, d] of dilations.entries()) {
    if (!(Number.isInteger(d) && d >= 1)) throw new Error(`receptiveField: dilation of layer ${l} must be an integer >= 1, got ${d}`);
    r += d * (k - 1);
  }
  return r;
}
