/**
 * Learning-rate schedules as pure functions of a (fractional) epoch, so per-epoch and per-iteration
 * stepping are the same code: pass `epoch` or `epoch + iter / itersPerEpoch`.
 *
 * Cosine (PyTorch CosineAnnealingLR closed form): lr(e) = η_min + (η₀ − η_min)·(1 + cos(π·e/T_max))/2.
 * Linear warm-up (PyTorch LinearLR): factor rises linearly from `startFactor` to 1 over W epochs,
 * then the main schedule runs on e − W (the IMP configs: warm-up 30 epochs, then cosine).
 * One-cycle (PyTorch OneCycleLR, cosine annealing, two phases): from max/div up to max over the first
 * pct·N − 1 steps, then down to max/(div·finalDiv) at step N − 1 (SNN-delays steps it once per epoch, N = epochs).
 */
export type Schedule = (epoch: number) => number;

export function constantLr(lr: number): Schedule {
  return () => lr;
}

export function cosineLr(opts: { base: number; tMax: number; etaMin?: number }): Schedule {
  const { base, tMax } = opts;
  const etaMin = opts.etaMin ?? 0;
  if (!(tMax > 0)) throw new Error(`cosineLr: tMax must be > 0, got ${tMax}`);
  return (e) => etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * Math.min(e, tMax) / tMax)) / 2;
}

export function warmupThen(opts: { epochs: number; startFactor: number; base: number; then: Schedule }): Schedule {
  const { epochs, startFactor, base, then } = opts;
  if (!(epochs >= 0)) throw new Error(`warmupThen: epochs must be >= 0, got ${epochs}`);
  return (e) => (e < epochs ? base * (startFactor + (1 - startFactor) * (e / epochs)) : then(e - epochs));
}

/**
 * PyTorch `SequentialLR` with one milestone: `first(e)` for e < milestone, then `then(e − milestone)`
 * (e.g. a constant phase followed by a cosine phase with its own base and floor).
 */
export function sequentialLr(opts: { milestone: number; first: Schedule; then: Schedule }): Schedule {
  const { milestone, first, then } = opts;
  if (!(milestone >= 0)) throw new Error(`sequentialLr: milestone must be >= 0, got ${milestone}`);
  return (e) => (e < milestone ? first(e) : then(e - milestone));
}

/** PyTorch `OneCycleLR` (cosine annealing, two phases): max/div → max at step pctStart·N − 1 → max/div/finalDiv at N − 1. */
export function oneCycleLr(opts: { max: number; totalSteps: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  const { max, totalSteps } = opts;
  const pct = opts.pctStart ?? 0.3, div = opts.divFactor ?? 25, finalDiv = opts.finalDivFactor ?? 1e4;
  if (!(Number.isInteger(totalSteps) && totalSteps >= 2)) throw new Error(`oneCycleLr: totalSteps must be an integer >= 2, got ${totalSteps}`);
  if (!(max > 0 && pct > 0 && pct < 1 && div > 0 && finalDiv > 0)) throw new Error(`oneCycleLr: need max > 0, 0 < pctStart < 1, div factors > 0, got ${JSON.stringify(opts)}`);
  const initial = max / div, min = initial / finalDiv;
  const peak = pct * totalSteps - 1, last = totalSteps - 1;
  const anneal = (a: number, b: number, f: number) => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * f));
  return (e) => {
    const s = Math.min(Math.max(e, 0), last);
    return s <= peak ? anneal(initial, max, peak > 0 ? s / peak : 1) : anneal(max, min, (s - peak) / (last - peak));
  };
}
