/**
 * `AvgPoolGrad` and `MaxPoolGrad` (2-D, NHWC) as generated WebAssembly SIMD on the wasm backend's heap.
 *
 * Both are scatters from dy onto the window each output pixel read; dx starts at zero and every dy pixel (b, i, j)
 * adds into the taps (p, q) of its window that lie inside x, u = i·sh + p − top, v = j·sw + q − left (where windows
 * do not overlap, a store instead of load-add-store, and where they also tile x, no zeroing: max writes its own 0s):
 *
 *     avg:  dx[b,u,v,c] += dy[b,i,j,c] · 1/(KH·KW)                      (the cpu backend's multiplier: the full window,
 *                                                                         also where padding cuts the window)
 *     max:  dx[b,u*,v*,c] += dy[b,i,j,c]   at the window's *first* maximum (row-major scan, strict >, from −∞)
 *
 * For max, a first pass over the taps finds the window's maximum m (NaN never wins a `>`), a second pass routes dy
 * to the first tap equal to m: `hit = (x == m) ∧ pending`, `pending ∧= ¬hit`, with `pending` starting as m > −∞,
 * so a window of −∞ / NaN values routes nothing, exactly as the cpu backend (whose scan never moves off its start).
 * Four channels per f32x4 lane group (each lane its own window maximum), scalar lanes for C mod 4. Windows are
 * scanned in dy order, so a dx pixel shared by overlapping windows sums their terms in the cpu backend's order.
 * TF.js 4.22's stock wasm `AvgPoolGrad` and the composed first-maximum `MaxPoolGrad` (max-pool-grad.ts) took
 * 10–35× the forward pool's time (`bench/conv-kernels.ts`).
 */
import type { tf } from "../tf.js";
import { wasmHeapMemory, type TensorInfo, type WasmHeap } from "../wasm-heap.js";
import { assemble, cached, Fn, I, instantiate, SCALAR, simdSupported, VEC, type Code, type Lanes } from "../wasm-simd.js";

export interface PoolGeometry2D {
  H: number; W: number; C: number;
  Ho: number; Wo: number;
  KH: number; KW: number;
  sh: number; sw: number;
  top: number; left: number;
}

export type PoolKind = "avg" | "max";

export interface PoolGradSimd {
  /**
   * Add the gradient of dy rows [rowStart, rowEnd) (flat b·Ho + i) into dx (zeroed first unless {@link writesEveryPixel});
   * byte offsets.
   */
  grad(x: number, dy: number, dx: number, rowStart: number, rowEnd: number): void;
}

const I32_DIV_U = [0x6e];
/** Windows of up to this many taps run unrolled where they lie inside x. */
const MAX_UNROLLED_TAPS = 16;
const V128_ANDNOT = [0xfd, 0x4f];
const I32_XOR = [0x73];

/** `while (cond) { body; step }` — cond pushes an i32. */
function whileLoop(fn: Fn, cond: Code[], body: () => void, step: Code[]): void {
  fn.emit(I.block, I.loop, ...cond, I.i32Eqz, I.brIf(1));
  body();
  fn.emit(...step, I.br(0), I.end, I.end);
}

function generate(kind: PoolKind, g: PoolGeometry2D): Uint8Array {
  const { H, W, C, Ho, Wo, KH, KW, sh, sw, top, left } = g;
  const fn = new Fn("grad", 5);
  const [X, DY, DX, R0, R1] = [0, 1, 2, 3, 4];
  const r = fn.local("i32"), b = fn.local("i32"), i = fn.local("i32"), j = fn.local("i32");
  const p0 = fn.local("i32"), p1 = fn.local("i32"), q0 = fn.local("i32"), q1 = fn.local("i32");
  const p = fn.local("i32"), q = fn.local("i32"), rowX = fn.local("i32"), corner = fn.local("i32"), dyp = fn.local("i32");
  const coff = fn.local("i32"), tapX = fn.local("i32"), t = fn.local("i32");
  const pix = C * 4;
  const delta = fn.local("i32");
  // delta = DX − X: the dx address of a tap is its x address + delta (same layout)
  fn.emit(I.get(DX), I.get(X), I.i32Sub, I.set(delta));

  const unroll = KH * KW <= MAX_UNROLLED_TAPS;
  const base = fn.local("i32"), inside = fn.local("i32");
  /**
   * `for p in [p0, p1), q in [q0, q1)`: body sees `tapX` = x address of tap (p, q) for this lane group. Windows that
   * lie wholly inside x (`inside`, set per pixel) run the taps unrolled with constant offsets; there body gets the
   * tap's index (else null), so max keeps each tap's values in a local between its two passes.
   */
  const taps = (body: (tap: number | null) => void) => {
    const loop = () => {
      fn.emit(I.get(p0), I.set(p));
      whileLoop(fn, [I.get(p), I.get(p1), I.i32LtS], () => {
        fn.emit(I.get(q0), I.set(q));
        whileLoop(fn, [I.get(q), I.get(q1), I.i32LtS], () => {
          // tapX = corner + (p·W + q)·C·4 + coff
          fn.emit(I.get(corner), I.get(p), I.i32(W * pix), I.i32Mul, I.i32Add, I.get(q), I.i32(pix), I.i32Mul, I.i32Add,
            I.get(coff), I.i32Add, I.set(tapX));
          body(null);
        }, [I.get(q), I.i32(1), I.i32Add, I.set(q)]);
      }, [I.get(p), I.i32(1), I.i32Add, I.set(p)]);
    };
    if (!unroll) return loop();
    fn.emit(I.get(inside), I.if);
    fn.emit(I.get(corner), I.get(coff), I.i32Add, I.set(base));
    for (let tp = 0; tp < KH; tp++) {
      for (let tq = 0; tq < KW; tq++) {
        fn.emit(I.get(base), I.i32((tp * W + tq) * pix), I.i32Add, I.set(tapX));
        body(tp * KW + tq);
      }
    }
    fn.emit(I.else);
    loop();
    fn.emit(I.end);
  };
  /** dx[tap] += value (value's code pushes one lane group); a plain store where windows do not overlap */
  const addToDx = (L: Lanes, value: Code[]) => {
    if (windowsOverlap(g)) fn.emit(I.get(tapX), I.get(delta), I.i32Add, I.tee(t), I.get(t), L.load, ...value, L.add, L.store);
    else fn.emit(I.get(tapX), I.get(delta), I.i32Add, ...value, L.store);
  };

  /** One lane group (4 channels, or 1 for the tail) at byte offset `coff` within the pixel. */
  const lanes = (L: Lanes) => {
    const gv = fn.local(L.vt);
    if (kind === "avg") {
      fn.emit(I.get(dyp), I.get(coff), I.i32Add, L.load, L.const(1 / (KH * KW)), L.mul, I.set(gv));
      taps(() => addToDx(L, [I.get(gv)]));
      return;
    }
    const best = fn.local(L.vt), v = fn.local(L.vt), pending = fn.local(L.mt), hit = fn.local(L.mt);
    const held = unroll ? Array.from({ length: KH * KW }, () => fn.local(L.vt)) : [];
    /** the tap's x values: from its local in the unrolled second pass, else loaded */
    const xAt = (tap: number | null): Code[] => (tap === null ? [I.get(tapX), L.load] : [I.get(held[tap]!)]);
    fn.emit(L.const(-Infinity), I.set(best));
    taps((tap) => {
      // best = v > best ? v : best
      fn.emit(I.get(tapX), L.load, I.tee(tap === null ? v : held[tap]!), I.get(best));
      fn.emit(I.get(tap === null ? v : held[tap]!), I.get(best), L.gt, L.select, I.set(best));
    });
    fn.emit(I.get(best), L.const(-Infinity), L.gt, I.set(pending));
    fn.emit(I.get(dyp), I.get(coff), I.i32Add, L.load, I.set(gv));
    taps((tap) => {
      if (L === VEC) {
        fn.emit(...xAt(tap), I.get(best), I.f32x4Eq, I.get(pending), I.v128And, I.set(hit));
        addToDx(L, [I.get(gv), I.get(hit), I.v128And]);
        fn.emit(I.get(pending), I.get(hit), V128_ANDNOT, I.set(pending));
      } else {
        fn.emit(...xAt(tap), I.get(best), I.f32Eq, I.get(pending), I.i32And, I.set(hit));
        addToDx(L, [I.get(gv), I.f32(0), I.get(hit), I.select]);
        fn.emit(I.get(pending), I.get(hit), I.i32(1), I32_XOR, I.i32And, I.set(pending));
      }
    });
  };

  fn.emit(I.get(R0), I.set(r));
  whileLoop(fn, [I.get(r), I.get(R1), I.i32LtU], () => {
    // b = r / Ho, i = r − b·Ho; valid rows p ∈ [max(0, top − i·sh), min(KH, H + top − i·sh))
    fn.emit(I.get(r), I.i32(Ho), I32_DIV_U, I.set(b));
    fn.emit(I.get(r), I.get(b), I.i32(Ho), I.i32Mul, I.i32Sub, I.set(i));
    fn.emit(I.i32(top), I.get(i), I.i32(sh), I.i32Mul, I.i32Sub, I.tee(t), I.i32(0), I.get(t), I.i32(0), I.i32GtS, I.select, I.set(p0));
    fn.emit(I.i32(H + top), I.get(i), I.i32(sh), I.i32Mul, I.i32Sub, I.tee(t), I.i32(KH), I.get(t), I.i32(KH), I.i32LtS, I.select, I.set(p1));
    // rowX = X + ((b·H + i·sh − top)·W·C)·4 (row of tap p = 0; may lie before x, only valid taps are read)
    fn.emit(I.get(X), I.get(b), I.i32(H), I.i32Mul, I.get(i), I.i32(sh), I.i32Mul, I.i32Add, I.i32(top), I.i32Sub,
      I.i32(W * pix), I.i32Mul, I.i32Add, I.set(rowX));
    fn.emit(I.i32(0), I.set(j));
    whileLoop(fn, [I.get(j), I.i32(Wo), I.i32LtS], () => {
      fn.emit(I.i32(left), I.get(j), I.i32(sw), I.i32Mul, I.i32Sub, I.tee(t), I.i32(0), I.get(t), I.i32(0), I.i32GtS, I.select, I.set(q0));
      fn.emit(I.i32(W + left), I.get(j), I.i32(sw), I.i32Mul, I.i32Sub, I.tee(t), I.i32(KW), I.get(t), I.i32(KW), I.i32LtS, I.select, I.set(q1));
      fn.emit(I.get(rowX), I.get(j), I.i32(sw), I.i32Mul, I.i32(left), I.i32Sub, I.i32(pix), I.i32Mul, I.i32Add, I.set(corner));
      // inside = the whole window lies in x: p0 = 0, p1 = KH, q0 = 0, q1 = KW
      fn.emit(I.get(p0), I.i32Eqz, I.get(q0), I.i32Eqz, I.i32And, I.get(p1), I.i32(KH), I.i32Eq, I.i32And,
        I.get(q1), I.i32(KW), I.i32Eq, I.i32And, I.set(inside));
      fn.emit(I.get(DY), I.get(r), I.i32(Wo), I.i32Mul, I.get(j), I.i32Add, I.i32(pix), I.i32Mul, I.i32Add, I.set(dyp));
      fn.emit(I.i32(0), I.set(coff));
      const vecBytes = (C - (C % 4)) * 4;
      if (vecBytes > 0) whileLoop(fn, [I.get(coff), I.i32(vecBytes), I.i32LtS], () => lanes(VEC), [I.get(coff), I.i32(16), I.i32Add, I.set(coff)]);
      if (C % 4 > 0) whileLoop(fn, [I.get(coff), I.i32(pix), I.i32LtS], () => lanes(SCALAR), [I.get(coff), I.i32(4), I.i32Add, I.set(coff)]);
    }, [I.get(j), I.i32(1), I.i32Add, I.set(j)]);
  }, [I.get(r), I.i32(1), I.i32Add, I.set(r)]);
  return assemble([fn]);
}

/** Whether a pixel can lie in two windows (then dx is accumulated, else each tap is written once). */
export function windowsOverlap(g: PoolGeometry2D): boolean {
  return g.KH > g.sh || g.KW > g.sw;
}

/**
 * Whether the kernel writes every pixel of dx: non-overlapping windows that tile x exactly (the papers' 2×2 stride-2
 * 'valid' pools on even sizes), where max writes its zeros itself and avg its single term. Elsewhere dx is zeroed first.
 */
export function writesEveryPixel(g: PoolGeometry2D): boolean {
  return g.KH === g.sh && g.KW === g.sw && g.top === 0 && g.left === 0 && g.H === g.Ho * g.KH && g.W === g.Wo * g.KW;
}

/** The pool-gradient kernel for `kind` and geometry `g` on `memory` (cached), or null without wasm SIMD. */
export function poolGradSimd(memory: WebAssembly.Memory, kind: PoolKind, g: PoolGeometry2D): PoolGradSimd | null {
  if (!simdSupported()) return null;
  const key = `pool-grad:${kind}:${Object.values(g).join(",")}`;
  return cached(memory, key, () => instantiate<PoolGradSimd>(generate(kind, g), memory));
}

/** The 2-D pool geometry of TF.js's pool info (NHWC). */
export function poolGeometry(info: tf.backend_util.Conv2DInfo): PoolGeometry2D {
  return {
    H: info.inHeight, W: info.inWidth, C: info.inChannels, Ho: info.outHeight, Wo: info.outWidth,
    KH: info.filterHeight, KW: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  };
}

/**
 * dx of a 2-D pool on the wasm heap through the generated kernel; null where it cannot run (not float32, heap not
 * reachable, no SIMD, dilated windows), so the caller falls back.
 */
export function poolGradOnHeap(backend: unknown, kind: PoolKind, x: TensorInfo, dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo): TensorInfo | null {
  if (x.dtype !== "float32" || dy.dtype !== "float32" || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const memory = wasmHeapMemory(backend);
  const k = memory ? poolGradSimd(memory, kind, poolGeometry(info)) : null;
  if (!k) return null;
  const heap = backend as WasmHeap;
  const dx = heap.makeOutput(x.shape.slice(), "float32");
  if (!writesEveryPixel(poolGeometry(info))) heap.typedArrayFromHeap(dx).fill(0); // pixels no window writes stay 0
  const off = (t: TensorInfo) => heap.getMemoryOffset(t.dataId);
  k.grad(off(x), off(dy), off(dx), 0, info.batchSize * info.outHeight);
  return dx;
}
