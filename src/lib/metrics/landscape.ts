/**
 * 2-D loss landscapes with filter-normalised random directions (Li et al. 2018, "Visualizing the Loss
 * Landscape of Neural Nets"; MPE-PSN Fig. 4a/b, decision §5d-3):
 *
 *   f(α, β) = L(θ* + α·δ + β·η)
 *
 * δ, η ~ N(0, I) per parameter, then each filter of δ is rescaled to the norm of the matching filter of θ*:
 * δ_f ← δ_f · ‖θ*_f‖ / ‖δ_f‖. A filter is one output unit — the last axis of a TF.js conv kernel
 * `[kh, kw, cin, cout]` or dense kernel `[in, out]`. Directions of 1-D parameters (biases, BN scale/shift,
 * thresholds, κ) are zero, as Li et al. do for BN and bias.
 */
import { tf } from "../backend/tf.js";
import type { NamedParameter } from "../layers/module.js";
import { Rng } from "../util/random.js";

export type Direction = Map<string, Float32Array>;

/** A seeded filter-normalised Gaussian direction for `params` (zero for parameters of rank < 2). */
export function filterNormalizedDirection(params: NamedParameter[], seed: number): Direction {
  const rng = new Rng(seed);
  const dir: Direction = new Map();
  for (const p of params) {
    const w = p.variable.dataSync() as Float32Array;
    const d = new Float32Array(w.length);
    if (p.variable.rank >= 2) {
      const out = p.variable.shape[p.variable.rank - 1]!;
      for (let i = 0; i < d.length; i++) d[i] = rng.normal();
      for (let f = 0; f < out; f++) {
        let nw = 0, nd = 0;
        for (let i = f; i < w.length; i += out) { nw += w[i]! * w[i]!; nd += d[i]! * d[i]!; }
        const s = nd > 0 ? Math.sqrt(nw / nd) : 0;
        for (let i = f; i < w.length; i += out) d[i]! *= s;
      }
    }
    dir.set(p.name, d);
  }
  return dir;
}

export interface SurfaceOptions {
  alphas: number[];
  betas: number[];
  /** Loss at the current parameters (the caller evaluates the network on its data). */
  loss: () => Promise<number> | number;
  onPoint?: () => void;
}

/** z[iβ][iα] = L(θ* + α·δ + β·η) on the grid; parameters are restored to θ* afterwards, even on error. */
export async function lossSurface(params: NamedParameter[], delta: Direction, eta: Direction, o: SurfaceOptions): Promise<number[][]> {
  const star = new Map(params.map((p) => [p.name, Float32Array.from(p.variable.dataSync())]));
  const set = (a: number, b: number) => {
    for (const p of params) {
      const w = star.get(p.name)!, d = delta.get(p.name)!, e = eta.get(p.name)!;
      const v = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) v[i] = w[i]! + a * d[i]! + b * e[i]!;
      tf.tidy(() => p.variable.assign(tf.tensor(v, p.variable.shape)));
    }
  };
  const z: number[][] = [];
  try {
    for (const b of o.betas) {
      const row: number[] = [];
      for (const a of o.alphas) {
        set(a, b);
        row.push(await o.loss());
        o.onPoint?.();
      }
      z.push(row);
    }
  } finally {
    set(0, 0);
  }
  return z;
}
