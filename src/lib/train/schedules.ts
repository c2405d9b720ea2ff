/**
 * Learning-rate schedules as pure functions of a (fractional) epoch, so per-epoch and per-iteration
 * stepping are the same code: pass `epoch` or `epoch + iter / itersPerEpoch`.
 *
 * Cosine (PyTorch CosineAnnealingLR closed form): lr(e) = η_min + (η₀ − η_min)·(1 + cos(π·e/T_max))/2.
 * Linear warm-up (PyTorch LinearLR): factor rises linearly from `startFactor` to 1 over W epochs,
 * then the main schedule runs on e − W (the IMP configs: warm-up 30 epochs, then cosine).
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
