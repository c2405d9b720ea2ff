/**
 * The learnable-delay SNN of Hammouamri et al. (ICLR 2024, `Thvnvtos/SNN-delays`), the network of the mul-free
 * paper's SHD run with its neuron swapped (papers.md §4.4, Table 7: {Dcls256-BN-SN-DP}×2-Dcls20-LIF):
 *
 *   x [T, B, C_in] → {Dcls1d(D) → BatchNorm → spiking neuron → Dropout(p)} × L → Dcls1d(D) → readout
 *
 * Each Dcls layer pads D − 1 steps before and (D − 1)/2 after, so the sequence grows by (D − 1)/2 per layer and the
 * output has T + (L + 1)·(D − 1)/2 steps. The readout is a LIF neuron that never fires (V_th = 10⁹, no input decay,
 * τ = 1.005 as SNN-delays' 10.05 ms / 10 ms): H_t = (1 − 1/τ)·H_{t−1} + X_t, and its membrane potential `[T', B, K]`
 * is the output (for the summed-softmax loss, `losses/summed-softmax.ts`). No biases (SNN-delays `bias = False`).
 */
import { tf } from "../backend/tf.js";
import { Dcls1d } from "../layers/dcls.js";
import { Dropout } from "../layers/dropout.js";
import type { Module } from "../layers/module.js";
import { BatchNorm } from "../layers/norm.js";
import { lifMultiStep } from "../neurons/lif.js";
import { Named, type NeuronFactory } from "./common.js";

export interface DelaySnnOptions {
  inputs: number;
  /** Hidden width per layer (paper 256). */
  hidden: number;
  /** Number of hidden {Dcls-BN-SN-DP} blocks (paper 2). */
  layers: number;
  outputs: number;
  /** Dense kernel length D (odd): maximal delay D − 1 steps. */
  kernelSize: number;
  /** Input sequence length (the neuron factory is told each layer's own length). */
  T: number;
  neuron: NeuronFactory;
  /** Dropout probability (SNN-delays 0.4). */
  dropout?: number;
  /** Readout membrane time constant τ (> 1), default 1.005. */
  readoutTau?: number;
  seed?: number;
}

/** The non-firing LIF readout: returns the membrane potential sequence. */
export class MembraneReadout implements Module {
  constructor(readonly tau = 1.005) {
    if (!(tau > 1)) throw new Error(`MembraneReadout: tau must be > 1, got ${tau}`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const r = lifMultiStep(x, 0, { tau: this.tau, decayInput: false, vThreshold: 1e9, vReset: 0 });
      const h = tf.keep(r.hSeq);
      tf.dispose([r.spikes, r.vSeq, r.v]);
      return h;
    });
  }
}

export class DelaySnn extends Named {
  readonly dcls: Dcls1d[];
  /** Output sequence length for an input of `T` steps. */
  readonly outputT: number;

  constructor(o: DelaySnnOptions) {
    const seed = o.seed ?? 0;
    const kids: [string, Module][] = [];
    const dcls: Dcls1d[] = [];
    let T = o.T, cin = o.inputs;
    for (let l = 0; l <= o.layers; l++) {
      const last = l === o.layers;
      const cout = last ? o.outputs : o.hidden;
      const d = new Dcls1d(cin, cout, { kernelSize: o.kernelSize, seed: seed * 100 + l });
      dcls.push(d);
      T += d.left + d.right - d.kernelSize + 1;
      kids.push([`dcls${l}`, d]);
      if (last) break;
      kids.push([`bn${l}`, new BatchNorm(cout)]);
      kids.push([`sn${l}`, o.neuron({ name: `sn${l}`, channels: cout, T })]);
      kids.push([`dp${l}`, new Dropout(o.dropout ?? 0.4, seed * 100 + l)]);
      cin = cout;
    }
    kids.push(["readout", new MembraneReadout(o.readoutTau)]);
    super(kids);
    this.dcls = dcls;
    this.outputT = T;
  }

  /** Set σ of every Dcls layer (the schedule is per epoch). */
  setSigma(sigma: number): void {
    for (const d of this.dcls) d.sigma = sigma;
  }

  /** Clamp every layer's positions into its kernel (after each optimiser step). */
  clampPositions(): void {
    for (const d of this.dcls) d.clampPositions();
  }
}
