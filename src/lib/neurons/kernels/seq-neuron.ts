/**
 * Typed-array cores of the fused multi-step kernel for the sequential neurons (IF, LIF, legacy LIF,
 * with or without IMP). Backend-independent: they read and write plain `Float32Array`s; `seq-neuron-backends.ts`
 * wires them into TF.js kernels for the `cpu` backend, and for `wasm` where the generated SIMD
 * kernels of `seq-neuron-simd.ts` (same equations, tested equal) do not apply.
 *
 * Forward: one pass over T × N (t outer, n inner) that mirrors the reference path's float32 op order
 * with `Math.fround` after every op (see `ChargeKind` in `../base.ts`), so fused == reference bit for
 * bit on an IEEE float32 backend.
 *
 * Backward: one reverse pass, the closed-form BPTT of events-and-parity §1.2 generalised to
 * H[t] = α·V[t−1] + β·X[t] + c (α, β from `chargeCoefficients`):
 *
 *   σ′_t  = g′(H[t] − V_th)
 *   ψ_t   = ∂V[t]/∂H[t]: hard+detach 1 − S; hard 1 − S + (V_reset − H)·σ′; soft+detach 1; soft 1 − V_th·σ′
 *   g_V[t] = gV[t] + α·g_H[t+1]                    (g_H[T] = 0)
 *   g_H[t] = gS[t]·σ′_t + gH[t] + g_V[t]·ψ_t
 *   gX[t]  = β·g_H[t];   gV0 = α·g_H[0]            (gV0 is the gradient to the IMP, papers.md §3.1)
 *
 * gS, gV, gH are the upstream gradients of the three outputs (spikes, V after reset, H before reset).
 * The carry g_H[t+1] is kept in float64.
 */
import type { ChargeKind } from "../base.js";
import type { SurrogateKind, TieRule } from "../../surrogate.js";

export interface SeqKernelAttrs {
  T: number;
  N: number;
  charge: ChargeKind;
  tau: number;
  vThreshold: number;
  /** NaN for soft reset. */
  vReset: number;
  soft: boolean;
  detachReset: boolean;
  tie: TieRule;
  sgKind: SurrogateKind;
  sgParam: number;
  /** ∂H/∂V and ∂H/∂X. */
  alpha: number;
  beta: number;
}

const f = Math.fround;

const CHARGE_CODE: Record<ChargeKind, number> = {
  "if": 0, "lif-decay": 1, "lif-decay-vr": 2, "lif-nodecay": 3, "lif-nodecay-vr": 4, "legacy": 5,
};

/**
 * Forward over the whole sequence. `x` [T·N] (time-major), `v0` [N]; writes S, V (after reset) and
 * H (before reset), each [T·N]. The charge is inlined per kind (a switch on a loop-invariant int,
 * which the branch predictor removes) so the inner loop has no calls.
 */
export function seqNeuronForward(
  a: SeqKernelAttrs, x: Float32Array, v0: Float32Array,
  sOut: Float32Array, vOut: Float32Array, hOut: Float32Array,
): void {
  const T = a.T, N = a.N;
  const code = CHARGE_CODE[a.charge];
  const tau = f(a.tau);
  const c = f(1 - 1 / a.tau);
  const th = f(a.vThreshold);
  const vr = f(a.soft ? 0 : a.vReset);
  const geq = a.tie === ">=";
  const soft = a.soft;
  const v = Float32Array.from(v0);
  for (let t = 0; t < T; t++) {
    const o = t * N;
    for (let n = 0; n < N; n++) {
      const i = o + n;
      const vp = v[n]!, xi = x[i]!;
      let h: number;
      switch (code) {
        case 0: h = f(vp + xi); break;
        case 1: h = f(vp + f(f(xi - vp) / tau)); break;
        case 2: h = f(vp + f(f(xi - f(vp - vr)) / tau)); break;
        case 3: h = f(f(vp * c) + xi); break;
        case 4: h = f(f(vp - f(f(vp - vr) / tau)) + xi); break;
        default: h = f(f(vp * tau) + xi);
      }
      const d = f(h - th);
      const s = geq ? d >= 0 : d > 0;
      const vn = s ? (soft ? d : vr) : h;
      hOut[i] = h;
      sOut[i] = s ? 1 : 0;
      vOut[i] = vn;
      v[n] = vn;
    }
  }
}

/**
 * Closed-form BPTT (see the file comment). Writes gX [T·N] and gV0 [N].
 * An upstream gradient passed as `null` is zero (its terms are skipped, not read); `s` may be
 * `null`, in which case S is recomputed from H with the forward's own compare (Θ(f32(H − V_th))).
 */
export function seqNeuronBackward(
  a: SeqKernelAttrs,
  gS: Float32Array | null, gV: Float32Array | null, gH: Float32Array | null, h: Float32Array, s: Float32Array | null,
  gX: Float32Array, gV0: Float32Array,
): void {
  const { T, N, alpha, beta } = a;
  const sgCode = ["atan", "sigmoid", "triangle", "rectangle", "inverseQuadratic"].indexOf(a.sgKind);
  if (sgCode < 0) throw new Error(`seqNeuronBackward: unknown surrogate kind ${JSON.stringify(a.sgKind)}`);
  const p = a.sgParam;
  const k = (Math.PI / 2) * p, half = p / 2, invG2 = 1 / (p * p), invW = 1 / p;
  const th = f(a.vThreshold);
  const vr = a.soft ? 0 : f(a.vReset);
  const geq = a.tie === ">=";
  const carry = new Float64Array(N);
  const mode = (a.soft ? 2 : 0) + (a.detachReset ? 1 : 0); // 0 hard, 1 hard+detach, 2 soft, 3 soft+detach
  const hasS = gS !== null, hasV = gV !== null, hasH = gH !== null;
  for (let t = T - 1; t >= 0; t--) {
    const o = t * N;
    for (let n = 0; n < N; n++) {
      const i = o + n;
      const hi = h[i]!;
      const dd = f(hi - th);
      let sp: number;
      switch (sgCode) {
        case 0: sp = half / (1 + (k * dd) * (k * dd)); break;
        case 1: { const e = 1 / (1 + Math.exp(-p * dd)); sp = p * e * (1 - e); break; }
        case 2: { const m = p - Math.abs(dd); sp = m > 0 ? invG2 * m : 0; break; }
        case 3: sp = Math.abs(dd) < half ? invW : 0; break;
        default: sp = 1 / (1 + p * dd * dd);
      }
      const si = s !== null ? s[i]! : (geq ? dd >= 0 : dd > 0) ? 1 : 0;
      let psi: number;
      switch (mode) {
        case 0: psi = 1 - si + (vr - hi) * sp; break;
        case 1: psi = 1 - si; break;
        case 2: psi = 1 - th * sp; break;
        default: psi = 1;
      }
      const gv = (hasV ? gV[i]! : 0) + alpha * carry[n]!;
      const gh = (hasS ? gS[i]! * sp : 0) + (hasH ? gH[i]! : 0) + gv * psi;
      gX[i] = beta * gh;
      carry[n] = gh;
    }
  }
  for (let n = 0; n < N; n++) gV0[n] = alpha * carry[n]!;
}
