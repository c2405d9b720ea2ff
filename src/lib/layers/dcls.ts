/**
 * 1-D dilated convolution with learnable spacings (DCLS; Khalfaoui-Hassani et al., ICLR 2023), used over time as
 * learnable synaptic delays (Hammouamri et al., ICLR 2024, the network of the mul-free paper's SHD run, papers.md
 * §4.4). Functional core {@link dclsKernel} / {@link dcls1d}, module shell {@link Dcls1d}.
 *
 * Every synapse (i → o) has a weight W[i][o] and a real position P[i][o] ∈ [−⌊D/2⌋, ⌊D/2⌋] inside a dense kernel of
 * D taps (D odd). The kernel is a normalised Gaussian bump of width σ centred at the position ("gauss" version of
 * `DCLS.construct.modules.ConstructKernel1d`):
 *
 *   c = P + ⌊D/2⌋,   g[τ] = exp(−½·((τ − c)/σ)²),   K[τ][i][o] = W[i][o] · g[τ] / (Σ_τ' g[τ'] + 1e-7),   τ = 0 … D−1
 *
 * and the layer is a cross-correlation over time on the input zero-padded by `left` steps before and `right` after:
 *
 *   Y[t][b][o] = Σ_i Σ_τ K[τ][i][o] · X̃[t + τ][b][i],   X̃[j] = X[j − left] (0 outside),   t = 0 … T + left + right − D
 *
 * With left = D − 1 (SNN-delays), tap τ delays its input by D − 1 − τ steps, so the position P is a delay of
 * ⌊D/2⌋ − P steps, from 0 to D − 1. Gradients reach W and P through the construction (TF.js autodiff of
 * conv1d), so P moves continuously; σ is not learnt but lowered by a schedule ({@link dclsSigmaSchedule}) until
 * the bump is nearly a single tap. Layout: time-first `[T, B, C]`, weights output-last `[C_in, C_out]`.
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "./module.js";
import { Rng } from "../util/random.js";

/** The dense kernel `[D, C_in, C_out]` of weights `[C_in, C_out]` at positions `[C_in, C_out]` with width σ. */
export function dclsKernel(weight: tf.Tensor2D, positions: tf.Tensor2D, sigma: number, kernelSize: number): tf.Tensor3D {
  checkKernelSize("dclsKernel", kernelSize);
  if (weight.rank !== 2 || positions.shape.join() !== weight.shape.join()) {
    throw new Error(`dclsKernel: weight [${weight.shape}] and positions [${positions.shape}] must both be [C_in, C_out]`);
  }
  if (!(sigma > 0)) throw new Error(`dclsKernel: sigma must be > 0, got ${sigma}`);
  return tf.tidy(() => {
    const tau = tf.reshape(tf.range(0, kernelSize, 1, "float32"), [kernelSize, 1, 1]);
    const centre = tf.expandDims(tf.add(positions, Math.floor(kernelSize / 2)), 0);
    const z = tf.div(tf.sub(tau, centre), sigma);
    const g = tf.exp(tf.mul(tf.square(z), -0.5));
    const norm = tf.add(tf.sum(g, 0, true), 1e-7);
    return tf.mul(tf.div(g, norm), tf.expandDims(weight, 0)) as tf.Tensor3D;
  });
}

/** Cross-correlation over time of `xSeq [T, B, C_in]` with `kernel [D, C_in, C_out]` after zero padding; → `[T', B, C_out]`. */
export function dcls1d(xSeq: tf.Tensor, kernel: tf.Tensor3D, left: number, right: number): tf.Tensor3D {
  if (xSeq.rank !== 3) throw new Error(`dcls1d: input must be time-first [T, B, C_in], got shape [${xSeq.shape}]`);
  const [D, cin] = kernel.shape;
  if (xSeq.shape[2] !== cin) throw new Error(`dcls1d: input has ${xSeq.shape[2]} channels, the kernel expects ${cin}`);
  if (!(Number.isInteger(left) && left >= 0 && Number.isInteger(right) && right >= 0)) throw new Error(`dcls1d: padding must be integers >= 0, got ${left}, ${right}`);
  if (xSeq.shape[0]! + left + right < D) throw new Error(`dcls1d: T + padding = ${xSeq.shape[0]! + left + right} is shorter than the kernel (${D})`);
  return tf.tidy(() => {
    const x = tf.pad(tf.transpose(xSeq, [1, 0, 2]), [[0, 0], [left, right], [0, 0]]) as tf.Tensor3D;
    return tf.transpose(tf.conv1d(x, kernel, 1, "valid"), [1, 0, 2]) as tf.Tensor3D;
  });
}

function checkKernelSize(where: string, d: number): void {
  if (!(Number.isInteger(d) && d >= 1 && d % 2 === 1)) throw new Error(`${where}: kernelSize (maximal delay + 1) must be an odd integer >= 1, got ${d}`);
}

/**
 * SNN-delays' σ schedule: σ_raw(e) = σ₀·α^min(e, E), α = (σ_end/σ₀)^(1/E), and the kernel uses σ = σ_raw + 0.27
 * (DCLS adds 0.27 to |SIG|). Defaults: σ₀ = ⌊D/2⌋, σ_end = 0.23 (σ = 0.5 after E epochs), E = epochs/4.
 */
export function dclsSigmaSchedule(o: { initial: number; final?: number; decayEpochs: number }): (epoch: number) => number {
  const end = o.final ?? 0.23;
  if (!(o.initial > 0 && end > 0 && o.decayEpochs >= 0)) throw new Error(`dclsSigmaSchedule: initial and final must be > 0 and decayEpochs >= 0, got ${JSON.stringify(o)}`);
  if (o.decayEpochs === 0) return () => end + 0.27;
  const alpha = (end / o.initial) ** (1 / o.decayEpochs);
  return (e) => o.initial * alpha ** Math.min(Math.max(e, 0), o.decayEpochs) + 0.27;
}

export interface Dcls1dOptions {
  /** Dense kernel length D (odd): delays 0 … D − 1 (SNN-delays SHD: 250 ms / 10 ms → 25). */
  kernelSize: number;
  /** Zero padding before / after the sequence (default D − 1 and (D − 1)/2, as SNN-delays). */
  left?: number;
  right?: number;
  /** Initial σ (the value the kernel uses, σ_raw + 0.27); default ⌊D/2⌋ + 0.27. */
  sigma?: number;
  seed?: number;
}

let uid = 0;

/**
 * DCLS layer over time. Init as SNN-delays: W ~ Kaiming-uniform (ReLU gain) U(±√(6/C_in)); P ~ U(−⌊D/2⌋ − 1, ⌊D/2⌋)
 * (Python's −D//2) then clamped to ±⌊D/2⌋. Parameter groups: "weight" for W, "delay" for P. Call
 * {@link clampPositions} after every optimiser step (SNN-delays `clamp_parameters`).
 */
export class Dcls1d implements Module {
  readonly weight: tf.Variable;
  readonly positions: tf.Variable;
  readonly kernelSize: number;
  readonly left: number;
  readonly right: number;
  sigma: number;

  constructor(readonly inChannels: number, readonly outChannels: number, opts: Dcls1dOptions) {
    checkKernelSize("Dcls1d", opts.kernelSize);
    if (!(Number.isInteger(inChannels) && inChannels >= 1 && Number.isInteger(outChannels) && outChannels >= 1)) {
      throw new Error(`Dcls1d: channels must be integers >= 1, got ${inChannels} → ${outChannels}`);
    }
    const D = (this.kernelSize = opts.kernelSize);
    this.left = opts.left ?? D - 1;
    this.right = opts.right ?? (D - 1) / 2;
    this.sigma = opts.sigma ?? Math.floor(D / 2) + 0.27;
    const lim = Math.floor(D / 2);
    const seed = opts.seed ?? 0;
    const id = uid++;
    const bound = Math.sqrt(6 / inChannels);
    this.weight = tf.variable(tf.randomUniform([inChannels, outChannels], -bound, bound, "float32", seed), true, `dcls${id}.weight`);
    const rng = new Rng(seed * 7919 + 17);
    const p = Float32Array.from({ length: inChannels * outChannels }, () => Math.min(lim, Math.max(-lim, rng.uniform(-lim - 1, lim))));
    this.positions = tf.variable(tf.tensor2d(p, [inChannels, outChannels]), true, `dcls${id}.P`);
  }

  /** The dense kernel `[D, C_in, C_out]` at the current positions and σ. */
  kernel(): tf.Tensor3D {
    return dclsKernel(this.weight as tf.Tensor2D, this.positions as tf.Tensor2D, this.sigma, this.kernelSize);
  }

  /** `[T, B, C_in]` → `[T + left + right − D + 1, B, C_out]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => dcls1d(x, this.kernel(), this.left, this.right));
  }

  /** Keep positions inside the kernel: P ← clamp(P, −⌊D/2⌋, ⌊D/2⌋). */
  clampPositions(): void {
    const lim = Math.floor(this.kernelSize / 2);
    tf.tidy(() => this.positions.assign(tf.clipByValue(this.positions, -lim, lim)));
  }

  /** Delays in steps, ⌊D/2⌋ − P (for plots and reports). */
  async delays(): Promise<Float32Array> {
    const d = tf.tidy(() => tf.sub(Math.floor(this.kernelSize / 2), this.positions));
    try {
      return (await d.data()) as Float32Array;
    } finally {
      d.dispose();
    }
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, { name: "P", variable: this.positions, group: "delay" }];
  }

  dispose(): void {
    this.weight.dispose();
    this.positions.dispose();
  }
}
