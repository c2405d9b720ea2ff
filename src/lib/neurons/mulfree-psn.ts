/**
 * Multiplication-free channel-wise parallel spiking neuron (Xue et al., NeurIPS 2025; papers.md §4.1-4.2).
 *
 * Input time-first `[T, B, C, ...]` (channel axis 2, any trailing spatial dims). Per channel c, a causal
 * dilated temporal convolution of order k (Eq. 10, reconstructed; decision §5d-7: left zero padding):
 *
 *   H[t][c] = Σ_{i=0}^{k−1} W_q[c][i] · X[t − (k−1−i)·d][c]        X[j] = 0 for j < 0
 *   S[t][c] = Θ(H[t][c] − V_th[c])                                 V_th ∈ R^C learnable, init 1
 *   W_q = Q(W) = sign(W)·2^{round(log2|W|)}                         (Eq. 13, `quantize.ts`; STE Eq. 16 or Eq. 15)
 *
 * Tap i = k − 1 meets the current step (same ordering as the sliding PSN, which is the special case
 * "W shared over channels, d = 1"). Because every W_q is ±2^n, each product is a shift (Eq. 12, Eqs. 17-18):
 * {@link shiftForwardInt} runs the integer path with `<<`/`>>`, {@link shiftForwardFloat} the float path
 * that adds n to the IEEE exponent field; both equal the tensor path on quantised weights.
 *
 * The charge has three computation strategies (§4.3 candidates), all differentiable on any backend:
 *   "toeplitz"   per-channel banded matrix A ∈ R^{C×T×T}, one batched matmul (O(T²) per channel)
 *   "shift"      Σ_i W[:, i] ⊙ shift_{(k−1−i)d}(X): k time-shifted slices, multiply-add (O(kT))
 *   "depthwise"  depthwiseConv2d over the time axis, left-padded by (k−1)·d. TF.js has no gradient for
 *                dilated depthwise convs, so the k taps are scattered into a dense (k−1)·d + 1 filter
 *                (zeros between taps) and the conv runs with dilation 1; gradients reach W through the scatter.
 *
 * Initialisation (not given by the paper; our choice): W per channel = the sliding PSN's exp init
 * (…, 1/4, 1/2, 1) — exact powers of two, so Q(W) = W at start — or seeded Kaiming-uniform U(±1/√k).
 * Default surrogate ATan(α = 2) with SpikingJelly's tie `>=` (papers.md §4.1 surrogates, §5 tie rule);
 * DVS-Lip used `inverseQuadratic(10)`.
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "../layers/module.js";
import { assertSurrogate, atan, type Surrogate, type TieRule } from "../surrogate.js";
import { checkStepMode, withDefaults, type ParallelNeuronResult, type ParallelNodeOptions, type StepMode } from "./base.js";
import { pow2Exponents, quantizePow2, type Pow2Codes, type QuantGrad } from "./quantize.js";

export type MulFreeStrategy = "toeplitz" | "shift" | "depthwise";
export const MULFREE_STRATEGIES: readonly MulFreeStrategy[] = ["toeplitz", "shift", "depthwise"];

/** Shape bookkeeping for `[T, B, C, ...]`: S = product of the trailing spatial dims (1 if none). */
interface Dims { T: number; B: number; C: number; S: number }

function dimsOf(where: string, xSeq: tf.Tensor): Dims {
  if (!(xSeq instanceof tf.Tensor)) throw new Error(`${where}: xSeq must be a tf.Tensor [T, B, C, ...], got ${String(xSeq)}`);
  if (xSeq.rank < 3) throw new Error(`${where}: xSeq must be time-first [T, B, C, ...] (rank >= 3, channels on axis 2), got shape [${xSeq.shape}]`);
  if (xSeq.dtype !== "float32") throw new Error(`${where}: xSeq must be float32, got ${xSeq.dtype}`);
  const [T, B, C] = xSeq.shape as [number, number, number];
  const S = xSeq.shape.slice(3).reduce((a, b) => a * b, 1);
  return { T, B, C, S };
}

/**
 * The causal tap walk shared by the two inference paths: for every output (t, element) of a flat
 * `[T, B, C, ...]` array, fold `tap(acc, srcIndex, j)` over the taps i with X[t − (k−1−i)·d] inside the
 * sequence (j = c·k + i indexes the codes), then `store(t, index, acc)`.
 */
function walkCausalTaps(dims: Dims, inner: number, k: number, dilation: number,
  tap: (acc: number, src: number, j: number, t: number, c: number) => number, store: (t: number, at: number, acc: number, c: number) => void): void {
  const { T, C, S } = dims;
  for (let t = 0; t < T; t++) {
    for (let idx = 0; idx < inner; idx++) {
      const c = Math.floor(idx / S) % C;
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const src = t - (k - 1 - i) * dilation;
        if (src >= 0) acc = tap(acc, src * inner + idx, c * k + i, t, c);
      }
      store(t, t * inner + idx, acc, c);
    }
  }
}

function checkKD(where: string, k: number, d: number): void {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`${where}: order k must be an integer >= 1, got ${k}`);
  if (!(Number.isInteger(d) && d >= 1)) throw new Error(`${where}: dilation d must be an integer >= 1, got ${d}`);
}

function checkWeight(where: string, weight: tf.Tensor, C: number): number {
  if (!(weight instanceof tf.Tensor) || weight.rank !== 2 || weight.shape[0] !== C) {
    throw new Error(`${where}: weight must be [C = ${C}, k], got ${weight instanceof tf.Tensor ? `[${weight.shape}]` : String(weight)}`);
  }
  return weight.shape[1]!;
}

/** Time offset of tap i: it reads X[t − s_i], s_i = (k − 1 − i)·d. */
export function tapOffset(i: number, k: number, d: number): number {
  return (k - 1 - i) * d;
}

/** X shifted later in time by s steps along axis 0 (zeros enter at the start). */
function shiftTime(x: tf.Tensor, s: number): tf.Tensor {
  const T = x.shape[0]!;
  if (s === 0) return x;
  if (s >= T) return tf.zerosLike(x);
  const rest = x.shape.slice(1);
  return tf.concat([tf.zeros([s, ...rest]), tf.slice(x, 0, T - s)], 0);
}

/** Per-channel Toeplitz matrices A ∈ R^{C×T×T}, A[c][t][t − s_i] = W[c][i] (differentiable in W). */
export function mulFreeToeplitz(weight: tf.Tensor, T: number, d: number): tf.Tensor3D {
  const C = weight.shape[0]!;
  const k = checkWeight("mulFreeToeplitz", weight, C);
  checkKD("mulFreeToeplitz", k, d);
  const e = new Float32Array(k * T * T);
  for (let i = 0; i < k; i++) {
    const s = tapOffset(i, k, d);
    for (let t = s; t < T; t++) e[i * T * T + t * T + (t - s)] += 1;
  }
  return tf.tidy(() => tf.reshape(tf.matMul(weight, tf.tensor2d(e, [k, T * T])), [C, T, T]) as tf.Tensor3D);
}

/**
 * The charge H (Eq. 10) with the given (already quantised or float) weights `[C, k]`, by one strategy.
 * Returns H with xSeq's shape.
 */
export function mulFreeCharge(xSeq: tf.Tensor, weight: tf.Tensor, dilation = 1, strategy: MulFreeStrategy = "shift"): tf.Tensor {
  const where = "mulFreeCharge";
  const { T, B, C, S } = dimsOf(where, xSeq);
  const k = checkWeight(where, weight, C);
  checkKD(where, k, dilation);
  return tf.tidy(() => {
    const x = tf.reshape(xSeq, [T, B, C, S]);
    let h: tf.Tensor;
    if (strategy === "shift") {
      // Columns by slice, not unstack: TF.js's Unpack gradient fails when k = 1 (a single output).
      const col = (i: number) => tf.reshape(tf.slice(weight, [0, i], [C, 1]), [1, 1, C, 1]);
      h = tf.mul(shiftTime(x, tapOffset(0, k, dilation)), col(0));
      for (let i = 1; i < k; i++) h = tf.add(h, tf.mul(shiftTime(x, tapOffset(i, k, dilation)), col(i)));
    } else if (strategy === "toeplitz") {
      const a = mulFreeToeplitz(weight, T, dilation);
      const xc = tf.reshape(tf.transpose(x, [2, 0, 1, 3]), [C, T, B * S]) as tf.Tensor3D;
      h = tf.transpose(tf.reshape(tf.matMul(a, xc), [C, T, B, S]), [1, 2, 0, 3]);
    } else if (strategy === "depthwise") {
      const kd = (k - 1) * dilation + 1;
      const place = new Float32Array(k * kd);
      for (let i = 0; i < k; i++) place[i * kd + i * dilation] = 1;
      const dense = tf.matMul(weight, tf.tensor2d(place, [k, kd])); // [C, kd], zeros between taps
      const filter = tf.reshape(tf.transpose(dense), [1, kd, C, 1]) as tf.Tensor4D;
      const xn = tf.reshape(tf.transpose(x, [1, 3, 0, 2]), [B * S, 1, T, C]) as tf.Tensor4D;
      const xp = tf.pad(xn, [[0, 0], [0, 0], [kd - 1, 0], [0, 0]]) as tf.Tensor4D;
      const y = tf.depthwiseConv2d(xp, filter, 1, "valid"); // [B·S, 1, T, C]
      h = tf.transpose(tf.reshape(y, [B, S, T, C]), [2, 0, 3, 1]);
    } else {
      throw new Error(`${where}: strategy must be one of ${MULFREE_STRATEGIES.join(", ")}, got ${JSON.stringify(strategy)}`);
    }
    return tf.reshape(h, xSeq.shape);
  });
}

export interface MulFreePSNParams {
  /** Dilation d of the temporal convolution (default 1). */
  dilation: number;
  /** Default ATan(2), tie `>=`. */
  surrogate: Surrogate;
  /** Quantise W to powers of two in the forward pass (default true). */
  quantize: boolean;
  /** Backward of the quantiser: "ste" (Eq. 16, default) or "eq15". */
  quantGrad: QuantGrad;
  /** Charge strategy (default "shift"). */
  strategy: MulFreeStrategy;
}

export const MULFREE_PSN_DEFAULTS: MulFreePSNParams = Object.freeze({
  dilation: 1, surrogate: atan(2), quantize: true, quantGrad: "ste" as QuantGrad, strategy: "shift" as MulFreeStrategy,
});

/**
 * Pure mul-free PSN: S = Θ(conv_d(X; Q(W)) − V_th) with weight `[C, k]`, vThreshold `[C]`; `hSeq` is the
 * charge H before the threshold, same shape as xSeq.
 */
export function mulFreePsnForward(xSeq: tf.Tensor, weight: tf.Tensor, vThreshold: tf.Tensor, params: Partial<MulFreePSNParams> = {}): ParallelNeuronResult {
  const where = "mulFreePsnForward";
  const { C } = dimsOf(where, xSeq);
  checkWeight(where, weight, C);
  if (!(vThreshold instanceof tf.Tensor) || vThreshold.size !== C) {
    throw new Error(`${where}: vThreshold must be a [C = ${C}] tensor (one threshold per channel), got ${vThreshold instanceof tf.Tensor ? `[${vThreshold.shape}]` : String(vThreshold)}`);
  }
  const p = withDefaults(MULFREE_PSN_DEFAULTS, params);
  assertSurrogate(where, p.surrogate);
  return tf.tidy(() => {
    const w = p.quantize ? quantizePow2(weight, p.quantGrad) : weight;
    const h = mulFreeCharge(xSeq, w, p.dilation, p.strategy);
    const th = tf.reshape(vThreshold, [1, 1, C, ...xSeq.shape.slice(3).map(() => 1)]);
    return { spikes: p.surrogate.spike(tf.sub(h, th)), hSeq: h };
  });
}

function checkFlat(where: string, data: ArrayLike<number>, shape: readonly number[], codes: Pow2Codes, k: number, d: number): Dims {
  checkKD(where, k, d);
  if (shape.length < 3 || !shape.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`${where}: shape must be [T, B, C, ...] with positive integer sizes, got [${shape}]`);
  }
  const [T, B, C] = shape as [number, number, number];
  const S = shape.slice(3).reduce((a, b) => a * b, 1);
  if (data.length !== T * B * C * S) throw new Error(`${where}: data has ${data.length} values, shape [${shape}] needs ${T * B * C * S}`);
  if (codes.signs.length !== C * k || codes.exponents.length !== C * k) {
    throw new Error(`${where}: codes must hold C·k = ${C * k} signs and exponents (row-major [C, k]), got ${codes.signs.length} and ${codes.exponents.length}`);
  }
  return { T, B, C, S };
}

/**
 * Integer bit-shift inference (Eqs. 12, 17): H[t][c] = Σ_i sign_i·(X[t − s_i][c] << n_i), with `>>` for
 * n_i < 0 (arithmetic shift: floors, as a hardware shifter does; exact when the low −min(n) bits of every X are
 * zero, i.e. the fixed-point format keeps that many spare fractional bits). No multiplication. `codes` = {@link pow2Exponents} of W_q `[C, k]` row-major.
 * Throws if a shift or the sum leaves int32.
 */
export function shiftForwardInt(xInt: Int32Array, shape: readonly number[], codes: Pow2Codes, k: number, dilation = 1): Int32Array {
  const where = "shiftForwardInt";
  if (!(xInt instanceof Int32Array)) throw new Error(`${where}: xInt must be an Int32Array, got ${String(xInt)}`);
  const dims = checkFlat(where, xInt, shape, codes, k, dilation);
  const inner = xInt.length / dims.T;
  const out = new Int32Array(xInt.length);
  walkCausalTaps(dims, inner, k, dilation, (acc, src, j, t, c) => {
    const sg = codes.signs[j]!;
    if (sg === 0) return acc;
    const v = xInt[src]!;
    const n = codes.exponents[j]!;
    let p: number;
    if (n >= 0) {
      if (v !== 0 && Math.clz32(v < 0 ? ~v : v) <= n) {
        throw new Error(`${where}: ${v} << ${n} overflows int32 (t = ${t}, channel ${c}, tap ${j % k})`);
      }
      p = v << n;
    } else {
      p = -n >= 32 ? (v < 0 ? -1 : 0) : v >> -n;
    }
    return sg > 0 ? acc + p : acc - p;
  }, (t, at, acc, c) => {
    if (acc > 2147483647 || acc < -2147483648) throw new Error(`${where}: H = ${acc} overflows int32 (t = ${t}, channel ${c})`);
    out[at] = acc;
  });
  return out;
}

/** Integer spikes S = Θ(H − V_th[c]) on the output of {@link shiftForwardInt} (thresholds in the same fixed point). */
export function shiftSpikesInt(hInt: Int32Array, shape: readonly number[], vThresholdInt: Int32Array, tie: TieRule = ">="): Uint8Array {
  const [T, B, C] = shape as [number, number, number];
  const S = shape.slice(3).reduce((a, b) => a * b, 1);
  if (hInt.length !== T * B * C * S) throw new Error(`shiftSpikesInt: hInt has ${hInt.length} values, shape [${shape}] needs ${T * B * C * S}`);
  if (vThresholdInt.length !== C) throw new Error(`shiftSpikesInt: vThresholdInt must hold C = ${C} thresholds, got ${vThresholdInt.length}`);
  const out = new Uint8Array(hInt.length);
  for (let j = 0; j < hInt.length; j++) {
    const c = Math.floor(j / S) % C;
    const diff = hInt[j]! - vThresholdInt[c]!;
    out[j] = tie === ">=" ? (diff >= 0 ? 1 : 0) : (diff > 0 ? 1 : 0);
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * x·(±2^n) for a float32 x by integer arithmetic on its bits (Eq. 12): add n to the 8-bit exponent field and
 * flip the sign bit for a negative weight. Zero stays zero; subnormal, infinite or NaN inputs and results
 * that would leave the normal range throw (a real shifter would saturate; we refuse instead of guessing).
 */
export function pow2ScaleBits(x: number, sign: number, n: number): number {
  if (sign === 0 || x === 0) return 0;
  f32[0] = x;
  const bits = u32[0]!;
  const e = (bits >>> 23) & 0xff;
  if (e === 0 || e === 0xff) throw new Error(`pow2ScaleBits: x = ${x} is subnormal, infinite or NaN; only normal float32 values are supported`);
  const e2 = e + n;
  if (e2 <= 0 || e2 >= 0xff) throw new Error(`pow2ScaleBits: x = ${x} times 2^${n} leaves the normal float32 range`);
  u32[0] = ((bits & 0x807fffff) | (e2 << 23)) ^ (sign < 0 ? 0x80000000 : 0);
  return f32[0]!;
}

/**
 * Float inference without multiplications: each tap is {@link pow2ScaleBits} (an exponent add), summed in
 * float32 in tap order i = 0 … k − 1 — the same order as the "shift" strategy, so the result is
 * bit-identical to `mulFreeCharge(x, Q(W), d, "shift")`.
 */
export function shiftForwardFloat(x: Float32Array, shape: readonly number[], codes: Pow2Codes, k: number, dilation = 1): Float32Array {
  const where = "shiftForwardFloat";
  if (!(x instanceof Float32Array)) throw new Error(`${where}: x must be a Float32Array, got ${String(x)}`);
  const dims = checkFlat(where, x, shape, codes, k, dilation);
  const inner = x.length / dims.T;
  const out = new Float32Array(x.length);
  walkCausalTaps(dims, inner, k, dilation,
    (acc, src, j) => Math.fround(acc + pow2ScaleBits(x[src]!, codes.signs[j]!, codes.exponents[j]!)),
    (_t, at, acc) => { out[at] = acc; });
  return out;
}

/**
 * Module options of {@link MulFreePSN} besides its {@link MulFreePSNParams}. `stepMode` "m" (default):
 * x `[T, B, C, …]` → spikes of the whole sequence; "s": step-by-step inference, x `[B, C, …]` per call, the
 * layer keeps the last (k − 1)·d + 1 inputs (all that Eq. 10 reads) until `reset()`.
 */
export interface MulFreePSNNodeOptions extends ParallelNodeOptions {
  /** Weight init: "exp" (…, 1/4, 1/2, 1) per channel (default) or seeded Kaiming-uniform U(±1/√k). */
  init?: "exp" | "kaiming";
  /** Initial V_th for every channel (default 1, the β = −1 of App. C). */
  vThresholdInit?: number;
}

/** Mul-free channel-wise PSN layer (multi-step, stateless): `weight [C, k]`, `vThreshold [C]`. */
export class MulFreePSN implements Module {
  readonly weight: tf.Variable;
  readonly vThreshold: tf.Variable;
  readonly dilation: number;
  readonly surrogate: Surrogate;
  quantize: boolean;
  quantGrad: QuantGrad;
  strategy: MulFreeStrategy;
  stepMode: StepMode;
  /** Step mode: the most recent inputs, oldest first (at most (k − 1)·d + 1). */
  private queue: tf.Tensor[] = [];

  constructor(readonly channels: number, readonly k: number, opts: Partial<MulFreePSNParams> & MulFreePSNNodeOptions = {}) {
    if (!(Number.isInteger(channels) && channels >= 1)) throw new Error(`MulFreePSN: channels must be an integer >= 1, got ${channels}`);
    const { init: initOpt, vThresholdInit, seed, stepMode, ...rest } = opts;
    const p = withDefaults(MULFREE_PSN_DEFAULTS, rest);
    this.dilation = p.dilation;
    checkKD("MulFreePSN", k, this.dilation);
    this.surrogate = p.surrogate;
    assertSurrogate("MulFreePSN", this.surrogate);
    this.quantize = p.quantize;
    this.quantGrad = p.quantGrad;
    if (this.quantGrad !== "ste" && this.quantGrad !== "eq15") throw new Error(`MulFreePSN: quantGrad must be "ste" or "eq15", got ${JSON.stringify(this.quantGrad)}`);
    this.strategy = p.strategy;
    this.stepMode = checkStepMode("MulFreePSN", stepMode ?? "m");
    if (!MULFREE_STRATEGIES.includes(this.strategy)) throw new Error(`MulFreePSN: strategy must be one of ${MULFREE_STRATEGIES.join(", ")}, got ${JSON.stringify(this.strategy)}`);
    const init = initOpt ?? "exp";
    const th = vThresholdInit ?? 1;
    if (!Number.isFinite(th)) throw new Error(`MulFreePSN: vThresholdInit must be a finite number, got ${th}`);
    const w = tf.tidy(() => {
      if (init === "exp") {
        const row = Array.from({ length: k }, (_, i) => 2 ** -(k - 1 - i));
        return tf.tile(tf.tensor2d(row, [1, k]), [channels, 1]);
      }
      if (init === "kaiming") return tf.randomUniform([channels, k], -1 / Math.sqrt(k), 1 / Math.sqrt(k), "float32", seed ?? 0);
      throw new Error(`MulFreePSN: init must be "exp" or "kaiming", got ${JSON.stringify(init)}`);
    });
    this.weight = tf.variable(w, true);
    w.dispose();
    this.vThreshold = tf.variable(tf.fill([channels], th), true);
  }

  forward(xSeq: tf.Tensor): tf.Tensor {
    if (this.stepMode === "s") return this.step(xSeq);
    const { C } = dimsOf("MulFreePSN.forward", xSeq);
    if (C !== this.channels) throw new Error(`MulFreePSN.forward: xSeq has ${C} channels on axis 2, the layer was built for ${this.channels}`);
    return tf.tidy(() => mulFreePsnForward(xSeq, this.weight, this.vThreshold, this.params).spikes);
  }

  /**
   * One step of Eq. 10 on x `[B, C, …]`: H = Σ_i W_q[c][i]·X[t − (k−1−i)·d], reading the kept inputs
   * (missing ones before the first step are zero, as the causal padding of the multi-step path).
   */
  private step(x: tf.Tensor): tf.Tensor {
    if (!(x instanceof tf.Tensor) || x.rank < 2 || x.shape[1] !== this.channels) {
      throw new Error(`MulFreePSN.forward (stepMode "s"): x must be [B, C = ${this.channels}, …], got ${x instanceof tf.Tensor ? `[${x.shape}]` : String(x)}`);
    }
    const span = (this.k - 1) * this.dilation + 1;
    this.queue.push(tf.keep(tf.clone(x)));
    while (this.queue.length > span) this.queue.shift()!.dispose();
    return tf.tidy(() => {
      const w = this.quantize ? quantizePow2(this.weight, this.quantGrad) : this.weight;
      const bshape = [1, this.channels, ...x.shape.slice(2).map(() => 1)];
      let h: tf.Tensor = tf.zerosLike(x);
      for (let i = 0; i < this.k; i++) {
        const back = tapOffset(i, this.k, this.dilation);
        const src = this.queue[this.queue.length - 1 - back];
        if (src) h = tf.add(h, tf.mul(src, tf.reshape(tf.slice(w, [0, i], [this.channels, 1]), bshape)));
      }
      return this.surrogate.spike(tf.sub(h, tf.reshape(this.vThreshold, bshape)));
    });
  }

  /** Bytes of state step-by-step inference keeps now (the input queue). */
  stateBytes(): number {
    return this.queue.reduce((s, t) => s + t.size * 4, 0);
  }

  /** Parameters of the pure function equivalent to this module (current values). */
  get params(): MulFreePSNParams {
    return { dilation: this.dilation, surrogate: this.surrogate, quantize: this.quantize, quantGrad: this.quantGrad, strategy: this.strategy };
  }

  /** W_q = Q(W) (the weights inference uses). */
  quantizedWeight(): tf.Tensor {
    return tf.tidy(() => quantizePow2(this.weight));
  }

  /** Signs and exponents of W_q, row-major `[C, k]`, for {@link shiftForwardInt} / {@link shiftForwardFloat} (read back asynchronously). */
  async shiftCodes(): Promise<Pow2Codes> {
    const q = this.quantizedWeight();
    try {
      return pow2Exponents(await q.data());
    } finally {
      q.dispose();
    }
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, { name: "vThreshold", variable: this.vThreshold, group: "threshold" }];
  }

  trainableVariables(): tf.Variable[] {
    return [this.weight, this.vThreshold];
  }

  /** Multi-step mode is stateless; step mode forgets its input queue. */
  reset(): void {
    this.queue.forEach((t) => t.dispose());
    this.queue = [];
  }

  dispose(): void {
    this.reset();
    this.weight.dispose();
    this.vThreshold.dispose();
  }
}
