/**
 * `Conv2DBackpropFilter` as generated WebAssembly SIMD, run in place on the wasm backend's heap (NHWC, dilation 1).
 *
 *     dW[p,q,c,o] = Σ_{b,i,j} x[b, i·sh + p − top, j·sw + q − left, c] · dy[b,i,j,o]      (taps outside x add 0)
 *
 * Why not a composition of TF.js kernels: written as a forward Conv2D of transposed operands (dy as the filter,
 * `conv2d-backprop-filter.ts`), XNNPACK's indirect GEMM reduces over K = B·Ho·Wo per output; the packed filter
 * panel (K × 8 floats, 2.4 MB for 32 images of 48²) leaves the caches for every 4 output rows, and the two
 * materialised transposes are single-threaded copies (156 ms of a 350 ms gradient for x [32,48,48,64]). As a
 * matrix product, dW[p,q] = X_{p,q}ᵀ · DY is Aᵀ·B with *both* operands in their natural NHWC layout: each dy pixel
 * contributes the outer product of an x channel vector and a dy channel vector. An outer-product micro-kernel
 * reads both as contiguous rows, so nothing is transposed, padded or copied:
 *
 *     acc[c0..c0+3, o0..o0+7] += splat(x[r, c0+k]) · dy[r, o0..o0+7]        (k = 0..3; 8 f32x4 accumulators)
 *
 * for every dy pixel r whose tap lands inside x (the valid column range of a tap is computed once per tap, the
 * row test once per dy row). The reduction is blocked over dy rows ({@link rowsPerBlock}): one call handles a
 * block whose x and dy rows stay in the L2 cache while every tile of every tap sweeps it, and adds into dW (the
 * accumulators start from dW's current value). Channels that are not multiples of 4 / 8 run narrower tiles
 * (the last Ci mod 4 input channels together; 4 or 1 output channels), so any shape works. float32 multiply and
 * add (no FMA): the same products as the cpu backend, summed in another order.
 */
import { assemble, cached, Fn, I, instantiate, SCALAR, simdSupported, VEC, type Code, type Lanes } from "../wasm-simd.js";

/** The geometry one generated kernel is specialised to (all sizes in elements). */
export interface BackpropFilterGeometry {
  H: number; W: number; Ci: number;
  Ho: number; Wo: number; Co: number;
  KH: number; KW: number;
  sh: number; sw: number;
  top: number; left: number;
}

export interface BackpropFilterSimd {
  /** Add the contributions of dy rows [rowStart, rowEnd) (flat index b·Ho + i) into dW; byte offsets. */
  bpf(x: number, dy: number, dw: number, rowStart: number, rowEnd: number): void;
}

const I32_DIV_U = [0x6e];
const I32_LE_S = [0x4c];

/** Rows of dy per call: their x and dy rows (≈ R·(Ci + Co) floats) stay in a 256 KB share of the L2 cache. */
export function rowsPerBlock(g: BackpropFilterGeometry): number {
  const pixels = Math.max(1, Math.floor(65536 / (g.Ci * g.sh + g.Co)));
  return Math.max(1, Math.floor(pixels / g.Wo));
}

/** `while (cond) { body; step }` — cond pushes an i32. */
function whileLoop(fn: Fn, cond: Code[], body: () => void, step: Code[]): void {
  fn.emit(I.block, I.loop, ...cond, I.i32Eqz, I.brIf(1));
  body();
  fn.emit(...step, I.br(0), I.end, I.end);
}

function generate(g: BackpropFilterGeometry): Uint8Array {
  const { H, W, Ci, Ho, Wo, Co, KH, KW, sh, sw, top, left } = g;
  const fn = new Fn("bpf", 5);
  const [X, DY, DW, R0, R1] = [0, 1, 2, 3, 4];
  const p = fn.local("i32"), q = fn.local("i32"), j0 = fn.local("i32"), j1 = fn.local("i32");
  const xCol = fn.local("i32"), dyCol = fn.local("i32"), dyRun = fn.local("i32"), tapDw = fn.local("i32");
  const c0 = fn.local("i32"), o0 = fn.local("i32"), fr = fn.local("i32"), b = fn.local("i32"), u = fn.local("i32");
  const xp = fn.local("i32"), dyp = fn.local("i32"), dyEnd = fn.local("i32"), dwp = fn.local("i32"), t = fn.local("i32");
  const xStep = sw * Ci * 4, dyStep = Co * 4;

  /** One tile: `mr` input channels × `ow` output channels (8: two vectors, 4: one, 1: scalar). */
  const tile = (mr: number, ow: 8 | 4 | 1) => {
    const L: Lanes = ow === 1 ? SCALAR : VEC;
    const nv = ow === 8 ? 2 : 1;
    const acc = Array.from({ length: mr }, () => Array.from({ length: nv }, () => fn.local(L.vt)));
    const d = Array.from({ length: nv }, () => fn.local(L.vt));
    const s = fn.local(L.vt);
    // dwp = tapDw + (c0·Co + o0)·4
    fn.emit(I.get(tapDw), I.get(c0), I.i32(Co * 4), I.i32Mul, I.i32Add, I.get(o0), I.i32(4), I.i32Mul, I.i32Add, I.set(dwp));
    for (let k = 0; k < mr; k++) for (let v = 0; v < nv; v++) fn.emit(I.get(dwp), L.loadAt(k * Co * 4 + v * 16), I.set(acc[k]![v]!));
    fn.emit(I.get(R0), I.set(fr));
    whileLoop(fn, [I.get(fr), I.get(R1), I.i32LtU], () => {
      // b = fr / Ho, i = fr − b·Ho, u = i·sh + p − top; only rows with 0 ≤ u < H
      fn.emit(I.get(fr), I.i32(Ho), I32_DIV_U, I.set(b));
      fn.emit(I.get(fr), I.get(b), I.i32(Ho), I.i32Mul, I.i32Sub, I.i32(sh), I.i32Mul, I.get(p), I.i32Add, I.i32(top), I.i32Sub, I.tee(u));
      fn.emit(I.i32(H), I.i32LtU, I.if);
      // xp = X + ((b·H + u)·W·Ci)·4 + xCol + c0·4
      fn.emit(I.get(X), I.get(b), I.i32(H), I.i32Mul, I.get(u), I.i32Add, I.i32(W * Ci * 4), I.i32Mul, I.i32Add,
        I.get(xCol), I.i32Add, I.get(c0), I.i32(4), I.i32Mul, I.i32Add, I.set(xp));
      // dyp = DY + fr·Wo·Co·4 + dyCol + o0·4; dyEnd = dyp + dyRun
      fn.emit(I.get(DY), I.get(fr), I.i32(Wo * Co * 4), I.i32Mul, I.i32Add, I.get(dyCol), I.i32Add,
        I.get(o0), I.i32(4), I.i32Mul, I.i32Add, I.tee(dyp), I.get(dyRun), I.i32Add, I.set(dyEnd));
      whileLoop(fn, [I.get(dyp), I.get(dyEnd), I.i32LtU], () => {
        for (let v = 0; v < nv; v++) fn.emit(I.get(dyp), L.loadAt(v * 16), I.set(d[v]!));
        for (let k = 0; k < mr; k++) {
          fn.emit(I.get(xp), L.splatAt(k * 4), I.set(s));
          for (let v = 0; v < nv; v++) fn.emit(I.get(acc[k]![v]!), I.get(s), I.get(d[v]!), L.mul, L.add, I.set(acc[k]![v]!));
        }
      }, [I.get(xp), I.i32(xStep), I.i32Add, I.set(xp), I.get(dyp), I.i32(dyStep), I.i32Add, I.set(dyp)]);
      fn.emit(I.end);
    }, [I.get(fr), I.i32(1), I.i32Add, I.set(fr)]);
    for (let k = 0; k < mr; k++) for (let v = 0; v < nv; v++) fn.emit(I.get(dwp), I.get(acc[k]![v]!), L.storeAt(k * Co * 4 + v * 16));
  };

  const oTiles = (mr: number) => {
    fn.emit(I.i32(0), I.set(o0));
    if (Co >= 8) whileLoop(fn, [I.get(o0), I.i32(Co - 8), I32_LE_S], () => tile(mr, 8), [I.get(o0), I.i32(8), I.i32Add, I.set(o0)]);
    if (Co % 8 >= 4) { tile(mr, 4); fn.emit(I.get(o0), I.i32(4), I.i32Add, I.set(o0)); }
    if (Co % 4 > 0) whileLoop(fn, [I.get(o0), I.i32(Co), I.i32LtS], () => tile(mr, 1), [I.get(o0), I.i32(1), I.i32Add, I.set(o0)]);
  };

  fn.emit(I.i32(0), I.set(p));
  whileLoop(fn, [I.get(p), I.i32(KH), I.i32LtS], () => {
    fn.emit(I.i32(0), I.set(q));
    whileLoop(fn, [I.get(q), I.i32(KW), I.i32LtS], () => {
      // valid columns: 0 ≤ j·sw + q − left < W  ⇔  j0 ≤ j < j1
      // j0 = max(0, ceil((left − q)/sw)); j1 = min(Wo, floor((W − 1 + left − q)/sw) + 1), 0 if W − 1 + left − q < 0
      fn.emit(I.i32(left), I.get(q), I.i32Sub, I.tee(t), I.i32(sw - 1), I.i32Add, I.i32(sw), I32_DIV_U, I.i32(0), I.get(t), I.i32(0), I.i32GtS, I.select, I.set(j0));
      fn.emit(I.i32(W - 1 + left), I.get(q), I.i32Sub, I.tee(t), I.i32(sw), I32_DIV_U, I.i32(1), I.i32Add, I.i32(0), I.get(t), I.i32(0), I.i32GeS, I.select, I.tee(j1));
      fn.emit(I.i32(Wo), I.get(j1), I.i32(Wo), I.i32LtS, I.select, I.set(j1));
      fn.emit(I.get(j0), I.get(j1), I.i32LtS, I.if);
      fn.emit(I.get(j0), I.i32(sw), I.i32Mul, I.get(q), I.i32Add, I.i32(left), I.i32Sub, I.i32(Ci * 4), I.i32Mul, I.set(xCol));
      fn.emit(I.get(j0), I.i32(Co * 4), I.i32Mul, I.set(dyCol));
      fn.emit(I.get(j1), I.get(j0), I.i32Sub, I.i32(Co * 4), I.i32Mul, I.set(dyRun));
      fn.emit(I.get(DW), I.get(p), I.i32(KW), I.i32Mul, I.get(q), I.i32Add, I.i32(Ci * Co * 4), I.i32Mul, I.i32Add, I.set(tapDw));
      fn.emit(I.i32(0), I.set(c0));
      if (Ci >= 4) whileLoop(fn, [I.get(c0), I.i32(Ci - 4), I32_LE_S], () => oTiles(4), [I.get(c0), I.i32(4), I.i32Add, I.set(c0)]);
      // the last Ci mod 4 input channels as one tile, so each dy row is read once more, not once per channel
      // (a first layer's 2 or 3 channels: 0.63–0.72× forward when run one channel at a time)
      if (Ci % 4 > 0) oTiles(Ci % 4);
      fn.emit(I.end);
    }, [I.get(q), I.i32(1), I.i32Add, I.set(q)]);
  }, [I.get(p), I.i32(1), I.i32Add, I.set(p)]);
  return assemble([fn]);
}

/** The kernel for geometry `g` on `memory` (cached), or null where the engine lacks wasm SIMD. */
export function backpropFilterSimd(memory: WebAssembly.Memory, g: BackpropFilterGeometry): BackpropFilterSimd | null {
  if (!simdSupported()) return null;
  const key = `conv2d-bpf:${Object.values(g).join(",")}`;
  return cached(memory, key, () => instantiate<BackpropFilterSimd>(generate(g), memory));
}
