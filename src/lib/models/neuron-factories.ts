/**
 * Named neuron choices for the papers' networks, so one network definition runs with every neuron a table
 * compares (mul-free Table 3: mul-free PSN, PSN, masked PSN, sliding PSN, PLIF, LIF; Table 10: order k with
 * and without sawtooth dilation).
 *
 * Networks hand a neuron channels-last activations (`[T, B, …, C]`); the mul-free PSN keeps its channel
 * on axis 2, so {@link ChannelsOnAxis2} folds the middle axes: `[T, B, …, C] → [T, B·…, C]` and back.
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "../layers/module.js";
import { sawtoothDilations } from "../neurons/dilation.js";
import { LIFNode } from "../neurons/lif.js";
import { MulFreePSN, type MulFreeStrategy } from "../neurons/mulfree-psn.js";
import { ParametricLIFNode } from "../neurons/plif.js";
import type { QuantGrad } from "../neurons/quantize.js";
import { MaskedPSN, PSN, SlidingPSN } from "../neurons/psn.js";
import { atan, type Surrogate } from "../surrogate.js";
import type { NeuronFactory } from "./common.js";

/** One kind string per neuron family (the same strings as `NeuronOpsKind` in `metrics/neuron-ops.ts`). */
export type NeuronKind = "mulfree-psn" | "psn" | "masked-psn" | "sliding-psn" | "plif" | "lif";
export const NEURON_KINDS: readonly NeuronKind[] = ["mulfree-psn", "psn", "masked-psn", "sliding-psn", "plif", "lif"];

/**
 * What the factory passes to every kind unless told otherwise. Deliberately **not** each family's own
 * default: the mul-free paper trains every compared neuron with ATan(α = 2) (papers.md §4.1), so `lif` and
 * `plif` get ATan(2) here instead of `LIFNode`'s SpikingJelly default Sigmoid(4) (table in
 * `src/lib/neurons/README.md`).
 */
export const NEURON_FACTORY_DEFAULTS: Readonly<{ k: number; surrogate: Surrogate }> = Object.freeze({ k: 4, surrogate: atan(2) });

export interface NeuronFactoryOptions {
  /** Order k of the mul-free, masked and sliding PSN (default {@link NEURON_FACTORY_DEFAULTS}.k = 4). */
  k?: number;
  /** Mul-free only: "none" (d = 1 everywhere, default) or the sawtooth schedule over the spiking layers. */
  dilation?: "none" | "sawtooth";
  /** Mul-free only: charge strategy (default "shift"; `autoselectStrategies` can change it per layer later). */
  strategy?: MulFreeStrategy;
  /** Mul-free only: backward of the power-of-two quantiser, "ste" (Eq. 16, default) or "eq15" (Fig. 7). */
  quantGrad?: QuantGrad;
  /** Every kind, LIF and PLIF included (default {@link NEURON_FACTORY_DEFAULTS}.surrogate = ATan(α = 2), papers.md §4.1). */
  surrogate?: Surrogate;
  seed?: number;
}

/** Runs a channel-on-axis-2 neuron on channels-last input. */
export class ChannelsOnAxis2 implements Module {
  constructor(readonly inner: Module) {}
  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank === 3) return this.inner.forward(x);
    return tf.tidy(() => {
      const [T, B] = x.shape as [number, number];
      const C = x.shape[x.rank - 1]!;
      return tf.reshape(this.inner.forward(tf.reshape(x, [T, (x.size / (T * C)), C])), x.shape);
    });
  }
  parameters(): NamedParameter[] { return this.inner.parameters?.() ?? []; }
  reset(): void { this.inner.reset?.(); }
  train(mode: boolean): void { this.inner.train?.(mode); }
  dispose(): void { (this.inner as { dispose?: () => void }).dispose?.(); }
}

/** The mul-free layer inside a factory-made neuron (for autoselect and inspection). */
export function mulFreeLayerOf(m: Module): MulFreePSN | null {
  if (m instanceof MulFreePSN) return m;
  if (m instanceof ChannelsOnAxis2 && m.inner instanceof MulFreePSN) return m.inner;
  return null;
}

/**
 * A {@link NeuronFactory} for `kind`. Layers are numbered in creation order, which gives the sawtooth
 * dilation d^l = l + 1 (decision §5d-7) to the l-th spiking layer; dilations never exceed what fits in T.
 */
export function neuronFactory(kind: NeuronKind, o: NeuronFactoryOptions = {}): NeuronFactory {
  if (!NEURON_KINDS.includes(kind)) throw new Error(`neuronFactory: kind must be one of ${NEURON_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  const k = o.k ?? NEURON_FACTORY_DEFAULTS.k;
  const surrogate = o.surrogate ?? NEURON_FACTORY_DEFAULTS.surrogate;
  let layer = 0;
  return ({ channels, T }) => {
    const l = layer++;
    const seed = (o.seed ?? 0) * 1000 + l;
    const kk = Math.min(k, T);
    switch (kind) {
      case "mulfree-psn": {
        let d = 1;
        if (o.dilation === "sawtooth") {
          d = sawtoothDilations(l + 1, kk)[l]!;
          while (d > 1 && (kk - 1) * d >= T) d--; // a tap reaching before t = 0 at every step is never used
        }
        return new ChannelsOnAxis2(new MulFreePSN(channels, kk, { dilation: d, surrogate, strategy: o.strategy ?? "shift", quantGrad: o.quantGrad ?? "ste", seed }));
      }
      case "psn": return new PSN(T, { surrogate, seed });
      case "masked-psn": return new MaskedPSN(kk, T, { surrogate, seed });
      case "sliding-psn": return new SlidingPSN(kk, { surrogate, seed });
      case "plif": return new ParametricLIFNode({ surrogate });
      case "lif": return new LIFNode({ surrogate });
    }
  };
}
