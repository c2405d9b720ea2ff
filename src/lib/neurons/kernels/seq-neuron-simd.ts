/**
 * WebAssembly SIMD versions of the sequential-neuron cores of `seq-neuron.ts`, generated per
 * configuration (charge kind, reset, tie rule, surrogate and which upstream gradients exist are
 * baked in as code and constants, so the inner loop has no branches) and run in place on the TF.js
 * wasm heap. Layout and equations are those of `seq-neuron.ts`:
 *
 *   forward, t = 0 … T−1, 4 neurons per f32x4 step (scalar f32 for the N mod 4 tail):
 *     H[t] = charge(V[t−1], X[t])     (V[−1] = V0; the op order of `ChargeKind`, each op in float32)
 *     S[t] = Θ(H[t] − V_th)           (lane mask of f32x4.ge, or .gt for the strict tie rule)
 *     V[t] = S ? V_reset : H (hard),  S ? H − V_th : H (soft)
 *   Every op is one IEEE float32 op, so S, V, H equal the `Math.fround` chain bit for bit.
 *
 *   backward, t = T−1 … 0 (closed-form BPTT, events-and-parity §1.2):
 *     S recomputed from H (the forward's own compare), σ′ = g′(H − V_th),
 *     ψ = 1 − S + (V_reset − H)·σ′ | 1 − S | 1 − V_th·σ′ | 1   (hard | hard+detach | soft | soft+detach)
 *     g_V = gV[t] + α·g_H[t+1],  g_H[t] = gS[t]·σ′ + gH[t] + g_V·ψ,  gX[t] = β·g_H[t],  gV0 = α·g_H[0]
 *   in float32 (the JS core carries g_H in float64; the two agree to ~1e-7 relative). Terms of
 *   absent upstream gradients are not emitted at all. The carry g_H[t+1] lives in the gV0 buffer
 *   (zeroed by the caller); the t = 0 row stores α·g_H[0] there, which is ∂L/∂V0.
 *
 * Surrogates: atan, triangle, rectangle and inverse-quadratic are rational or piecewise linear and
 * vectorise directly; sigmoid needs exp, which wasm lacks, so it is evaluated with Cephes' float32
 * `expf` polynomial (`expCode`, ~1 ulp — as close to exp as TF.js's own float32 sigmoid kernels).
 */
import type { SeqKernelAttrs } from "./seq-neuron.js";
import { assemble, cached, Fn, I, instantiate, SCALAR, simdSupported, stepLoop, VEC, type Code, type Lanes } from "../../backend/wasm-simd.js";

/** Surrogates the SIMD kernels implement. */
const SIMD_SURROGATES = new Set(["atan", "sigmoid", "triangle", "rectangle", "inverseQuadratic"]);

/** Which upstream gradients the backward receives. */
export interface GradInputs {
  gS: boolean;
  gV: boolean;
  gH: boolean;
}

export interface SeqSimdExports {
  /** (x, v0, s, v, h, T, N): byte offsets of float32 arrays in the imported memory. */
  fwd(x: number, v0: number, s: number, v: number, h: number, T: number, N: number): void;
  /** (h, gS, gV, gH, gX, gV0, T, N); gV0 must be zeroed; absent gradients' pointers are ignored. */
  bwd(h: number, gS: number, gV: number, gH: number, gX: number, gV0: number, T: number, N: number): void;
}

/** Whether the SIMD kernels cover this configuration. */
export function seqSimdSupports(a: SeqKernelAttrs): boolean {
  return SIMD_SURROGATES.has(a.sgKind) && simdSupported();
}

const f = Math.fround;

/** Charge H = f(V, X) in the op order of `ChargeKind` (base.ts); `vp`, `x` are locals. */
function charge(L: Lanes, a: SeqKernelAttrs, vp: number, x: number): Code[] {
  const V = I.get(vp), X = I.get(x), c = (v: number) => L.const(v);
  const tau = f(a.tau), vr = f(a.soft ? 0 : a.vReset);
  switch (a.charge) {
    case "if": return [V, X, L.add];
    case "lif-decay": return [V, X, V, L.sub, c(tau), L.div, L.add];
    case "lif-decay-vr": return [V, X, V, c(vr), L.sub, L.sub, c(tau), L.div, L.add];
    case "lif-nodecay": return [V, c(f(1 - 1 / a.tau)), L.mul, X, L.add];
    case "lif-nodecay-vr": return [V, V, c(vr), L.sub, c(tau), L.div, L.sub, X, L.add];
    case "legacy": return [V, c(tau), L.mul, X, L.add];
  }
}

/**
 * Surrogate derivative g′(d) of the local `d`, in float32 (the formulas of `seqNeuronBackward` and
 * `surrogate.ts`); `fn` provides scratch locals. Also used by the PSN kernels.
 */
export function surrogateDerivative(fn: Fn, L: Lanes, kind: string, p: number, d: number): Code[] {
  const D = I.get(d), c = (v: number) => L.const(v);
  switch (kind) {
    case "sigmoid": {
      // α·s·(1 − s), s = sigmoid(α·d), is even in d and equals α·e/(1 + e)² with e = exp(−α·|d|) ∈ (0, 1]:
      // no overflow and no cancellation (1 − s rounds to 0 in float32 once s > 1 − 2⁻²⁴).
      const e = fn.local(L.vt);
      return [...expCode(fn, L, [c(f(-p)), D, L.abs, L.mul], e), c(f(p)), I.get(e), L.mul, c(1), I.get(e), L.add, c(1), I.get(e), L.add, L.mul, L.div];
    }
    case "atan": { // α/2 / (1 + (π/2·α·d)²)
      const k = f((Math.PI / 2) * p);
      return [c(f(p / 2)), c(1), c(k), D, L.mul, c(k), D, L.mul, L.mul, L.add, L.div];
    }
    case "triangle": // m = γ − |d|;  m > 0 ? m/γ² : 0
      return [c(f(1 / (p * p))), c(f(p)), D, L.abs, L.sub, L.mul, c(0), c(f(p)), D, L.abs, L.sub, c(0), L.gt, L.select];
    case "rectangle": // |d| < w/2 ? 1/w : 0
      return [c(f(1 / p)), c(0), D, L.abs, c(f(p / 2)), L.lt, L.select];
    case "inverseQuadratic": // 1 / (1 + α·d·d)
      return [c(1), c(1), c(f(p)), D, L.mul, D, L.mul, L.add, L.div];
    default:
      throw new Error(`seq-neuron-simd: surrogate ${kind} has no SIMD form`);
  }
}

/** Surrogates with a SIMD form. */
export function simdSurrogate(kind: string): boolean {
  return SIMD_SURROGATES.has(kind);
}

/**
 * e = exp(y) into local `e`, y given as code: Cephes' `expf` in float32 lanes (max error ~1 ulp):
 * n = round(y·log₂e), r = (y − n·C1) − n·C2 (C1 + C2 = ln 2, C1 exact in 9 bits),
 * exp(r) = 1 + r + r²·P(r) (degree-5 minimax P), times 2ⁿ built from the exponent bits. y is first
 * clamped to [−87, 88], where 2ⁿ is a normal float (exp(−87) ≈ 1.6e−38 stands for anything smaller,
 * which moves the sigmoid's σ′ by < 1e−37).
 */
function expCode(fn: Fn, L: Lanes, y: Code[], e: number): Code[] {
  const yv = fn.local(L.vt), n = fn.local(L.vt), r = fn.local(L.vt), c = (v: number) => L.const(v);
  const P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map(f);
  const poly: Code[] = [c(P[0]!)];
  for (const k of P.slice(1)) poly.push(I.get(r), L.mul, c(k), L.add);
  return [
    ...y, c(88), L.min, c(-87), L.max, I.set(yv),
    I.get(yv), c(f(Math.LOG2E)), L.mul, L.nearest, I.set(n),
    I.get(yv), I.get(n), c(0.693359375), L.mul, L.sub, I.get(n), c(f(-2.12194440e-4)), L.mul, L.sub, I.set(r),
    ...poly, I.get(r), I.get(r), L.mul, L.mul, I.get(r), L.add, c(1), L.add,
    I.get(n), L.pow2, L.mul, I.set(e),
  ];
}

function surrogate(fn: Fn, L: Lanes, a: SeqKernelAttrs, d: number): Code[] {
  return surrogateDerivative(fn, L, a.sgKind, a.sgParam, d);
}

function forwardFn(a: SeqKernelAttrs): Fn {
  const fn = new Fn("fwd", 7);
  const [X, V0, S, V, H, T, N] = [0, 1, 2, 3, 4, 5, 6];
  const t = fn.local("i32"), o = fn.local("i32"), rowEnd = fn.local("i32"), vecEnd = fn.local("i32");
  const prev = fn.local("i32"), rowBytes = fn.local("i32"), vecBytes = fn.local("i32");
  const th = f(a.vThreshold), vr = f(a.soft ? 0 : a.vReset);
  const body = (L: Lanes): Code[] => {
    const vp = fn.local(L.vt), x = fn.local(L.vt), h = fn.local(L.vt), d = fn.local(L.vt), m = fn.local(L.mt);
    const at = (base: number): Code => [...I.get(base), ...I.get(o), ...I.i32Add];
    return [
      at(prev), L.load, I.set(vp),
      at(X), L.load, I.set(x),
      ...charge(L, a, vp, x), I.set(h),
      at(H), I.get(h), L.store,
      I.get(h), L.const(th), L.sub, I.tee(d), L.const(0), a.tie === ">=" ? L.ge : L.gt, I.set(m),
      at(S), I.get(m), L.mask01, L.store,
      at(V), a.soft ? I.get(d) : L.const(vr), I.get(h), I.get(m), L.select, L.store,
    ];
  };
  fn.emit(I.get(N), I.i32(2), I.i32Shl, I.set(rowBytes));
  fn.emit(I.get(N), I.i32(-4), I.i32And, I.i32(2), I.i32Shl, I.set(vecBytes));
  fn.emit(I.i32(0), I.set(o), I.i32(0), I.set(t));
  fn.emit(I.block, I.loop, I.get(t), I.get(T), I.i32GeU, I.brIf(1));
  // V[t−1] is row t−1 of the V output, or V0 for t = 0: prev + o addresses it.
  fn.emit(I.get(V), I.get(rowBytes), I.i32Sub, I.get(V0), I.get(t), I.select, I.set(prev));
  fn.emit(I.get(o), I.get(rowBytes), I.i32Add, I.set(rowEnd), I.get(o), I.get(vecBytes), I.i32Add, I.set(vecEnd));
  stepLoop(fn, VEC, o, vecEnd, body(VEC));
  stepLoop(fn, SCALAR, o, rowEnd, body(SCALAR));
  fn.emit(I.get(t), I.i32(1), I.i32Add, I.set(t), I.br(0), I.end, I.end);
  return fn;
}

function backwardFn(a: SeqKernelAttrs, g: GradInputs): Fn {
  const fn = new Fn("bwd", 8);
  const [H, GS, GV, GH, GX, GV0, T, N] = [0, 1, 2, 3, 4, 5, 6, 7];
  const t = fn.local("i32"), o = fn.local("i32"), rowStart = fn.local("i32"), rowEnd = fn.local("i32"), vecEnd = fn.local("i32");
  const carry = fn.local("i32"), rowBytes = fn.local("i32"), vecBytes = fn.local("i32");
  const th = f(a.vThreshold), vr = f(a.soft ? 0 : a.vReset), alpha = f(a.alpha), beta = f(a.beta);
  const mode = (a.soft ? 2 : 0) + (a.detachReset ? 1 : 0);
  const needSp = g.gS || mode === 0 || mode === 2;
  const needS = mode === 0 || mode === 1;
  const body = (L: Lanes, lastRow: boolean): Code[] => {
    const h = fn.local(L.vt), d = fn.local(L.vt), sp = fn.local(L.vt), s = fn.local(L.vt), gh = fn.local(L.vt);
    const at = (base: number): Code => [...I.get(base), ...I.get(o), ...I.i32Add];
    const code: Code[] = [at(H), L.load, I.tee(h), L.const(th), L.sub, I.set(d)];
    if (needS) code.push(I.get(d), L.const(0), a.tie === ">=" ? L.ge : L.gt, L.mask01, I.set(s));
    if (needSp) code.push(...surrogate(fn, L, a, d), I.set(sp));
    // g_V = gV[t] + α·carry
    code.push(L.const(alpha), at(carry), L.load, L.mul);
    if (g.gV) code.push(at(GV), L.load, L.add);
    // · ψ
    switch (mode) {
      case 0: code.push(L.const(1), I.get(s), L.sub, L.const(vr), I.get(h), L.sub, I.get(sp), L.mul, L.add, L.mul); break;
      case 1: code.push(L.const(1), I.get(s), L.sub, L.mul); break;
      case 2: code.push(L.const(1), L.const(th), I.get(sp), L.mul, L.sub, L.mul); break;
      default: break;
    }
    if (g.gS) code.push(at(GS), L.load, I.get(sp), L.mul, L.add);
    if (g.gH) code.push(at(GH), L.load, L.add);
    code.push(I.set(gh));
    code.push(at(GX), L.const(beta), I.get(gh), L.mul, L.store);
    code.push(at(carry), I.get(gh), ...(lastRow ? [L.const(alpha), L.mul] : []), L.store);
    return code;
  };
  fn.emit(I.get(N), I.i32(2), I.i32Shl, I.set(rowBytes));
  fn.emit(I.get(N), I.i32(-4), I.i32And, I.i32(2), I.i32Shl, I.set(vecBytes));
  fn.emit(I.get(T), I.set(t));
  // for (t = T; t-- > 0;) — rows in reverse; carry + o addresses gV0[n] on every row.
  fn.emit(I.block, I.loop, I.get(t), I.i32Eqz, I.brIf(1), I.get(t), I.i32(1), I.i32Sub, I.set(t));
  fn.emit(I.get(t), I.get(rowBytes), I.i32Mul, I.tee(rowStart), I.set(o));
  fn.emit(I.get(GV0), I.get(rowStart), I.i32Sub, I.set(carry));
  fn.emit(I.get(o), I.get(rowBytes), I.i32Add, I.set(rowEnd), I.get(o), I.get(vecBytes), I.i32Add, I.set(vecEnd));
  // Row t = 0 stores α·g_H[0] (= ∂L/∂V0) instead of the carry.
  fn.emit(I.get(t), I.if);
  stepLoop(fn, VEC, o, vecEnd, body(VEC, false));
  stepLoop(fn, SCALAR, o, rowEnd, body(SCALAR, false));
  fn.emit(I.else);
  stepLoop(fn, VEC, o, vecEnd, body(VEC, true));
  stepLoop(fn, SCALAR, o, rowEnd, body(SCALAR, true));
  fn.emit(I.end);
  fn.emit(I.br(0), I.end, I.end);
  return fn;
}

/** The generated forward for this configuration on `memory` (null where wasm refuses it). */
export function seqSimdForward(memory: WebAssembly.Memory, a: SeqKernelAttrs): SeqSimdExports["fwd"] | null {
  const key = JSON.stringify(["fwd", a.charge, a.tau, a.vThreshold, a.vReset, a.soft, a.tie]);
  return cached(memory, key, () => simdSupported() ? instantiate<Pick<SeqSimdExports, "fwd">>(assemble([forwardFn(a)]), memory)?.fwd ?? null : null);
}

/** The generated backward for this configuration and set of upstream gradients (null if unsupported). */
export function seqSimdBackward(memory: WebAssembly.Memory, a: SeqKernelAttrs, g: GradInputs): SeqSimdExports["bwd"] | null {
  const key = JSON.stringify(["bwd", a.vThreshold, a.vReset, a.soft, a.detachReset, a.tie, a.sgKind, a.sgParam, a.alpha, a.beta, g.gS, g.gV, g.gH]);
  return cached(memory, key, () => seqSimdSupports(a) ? instantiate<Pick<SeqSimdExports, "bwd">>(assemble([backwardFn(a, g)]), memory)?.bwd ?? null : null);
}
