/**
 * Per-time-step operation counts of stateless layers and synaptic operations (events-and-parity.md §5).
 *
 * Conventions (syops-counter): conv FLOPs = kh·kw·(C_in/groups)·C_out·H_out·W_out per sample (a
 * multiply-accumulate counts once; bias not counted); linear FLOPs = in·out. SOPs of a layer fed by
 * spikes with firing rate fr over T steps: `SOPs = fr · T · FLOPs` — T is counted exactly once.
 */

export interface Conv2dShape {
  kernel: [number, number];
  inChannels: number;
  outChannels: number;
  outSize: [number, number];
  groups?: number;
}

export function conv2dFlops(c: Conv2dShape): number {
  const g = c.groups ?? 1;
  if (c.inChannels % g !== 0 || c.outChannels % g !== 0) {
    throw new Error(`conv2dFlops: channels ${c.inChannels}→${c.outChannels} not divisible by groups ${g}`);
  }
  return c.kernel[0] * c.kernel[1] * (c.inChannels / g) * c.outChannels * c.outSize[0] * c.outSize[1];
}

export function linearFlops(inFeatures: number, outFeatures: number): number {
  return inFeatures * outFeatures;
}

/** Synaptic operations of one layer: firing rate of its input × T × its per-step FLOPs. */
export function sops(firingRate: number, T: number, flops: number): number {
  if (!(firingRate >= 0 && firingRate <= 1)) throw new Error(`sops: firing rate must be in [0, 1], got ${firingRate}`);
  if (!(Number.isInteger(T) && T > 0)) throw new Error(`sops: T must be a positive integer, got ${T}`);
  return firingRate * T * flops;
}

export interface LayerCount {
  name: string;
  flops: number;
  /** Firing rate of the layer's input spikes; undefined for the real-valued first layer. */
  inputRate?: number;
}

/** Totals for the energy formula: first layer's FLOPs as MACs, Σ SOPs of spike-driven layers. */
export function networkCounts(layers: LayerCount[], T: number): { firstLayerFlops: number; sops: number; perLayer: { name: string; sops: number }[] } {
  if (layers.length === 0) throw new Error("networkCounts: no layers");
  const [first, ...rest] = layers;
  const perLayer = rest.map((l) => {
    if (l.inputRate === undefined) throw new Error(`networkCounts: layer '${l.name}' needs the firing rate of its input`);
    return { name: l.name, sops: sops(l.inputRate, T, l.flops) };
  });
  // The first layer runs on real-valued input at every step: T·FLOPs MACs.
  return { firstLayerFlops: first!.flops * T, sops: perLayer.reduce((s, l) => s + l.sops, 0), perLayer };
}
