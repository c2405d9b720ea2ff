/**
 * Generated wasm helpers of `Conv2DBackpropInput` (conv2d-backprop-input.ts), run in place on the wasm backend's heap.
 *
 * - {@link tapTransposer} `tapT(src, dst)`: one filter tap's `[Ci, Co]` matrix into `[Co, Ci]`,
 *   `dst[o·Ci + c] = src[c·Co + o]`. The gradient needs the filter flipped in space with its channel axes swapped;
 *   wasm's `Reverse` + `Transpose` kernels took 90–160 ms for a 3×3×512×512 filter (as long as the whole forward conv
 *   of a 4×4 or 6×6 layer), this pass takes a few ms: the flip is only *which* tap goes where (chosen in JS), and the
 *   transpose walks four source rows at once, so reads stream along rows and writes fill 4 adjacent floats.
 * - {@link phasePlacer} `place(src, dst, rows, cols)` / `zero(dst, rows, cols)`: write one stride phase of dx,
 *   `dst[r·sh·W·Ci + n·sw·Ci + c] = src[(r·cols + n)·Ci + c]` (or 0), f32x4 copies of each pixel's channels.
 */
import { assemble, cached, Fn, I, instantiate, SCALAR, simdSupported, VEC, type Code } from "../wasm-simd.js";

export interface TapTransposer {
  /** `[Ci, Co]` at byte offset `src` → `[Co, Ci]` at byte offset `dst`. */
  tapT(src: number, dst: number): void;
}

export interface PhasePlacer {
  /** Copy `[rows, cols, Ci]` at `src` to every (sh, sw)-th pixel of an image `[·, W, Ci]` starting at `dst`. */
  place(src: number, dst: number, rows: number, cols: number): void;
  /** The same pixels of `dst`, set to 0. */
  zero(dst: number, rows: number, cols: number): void;
}

/** `while (cond) { body; step }` — cond pushes an i32. */
function whileLoop(fn: Fn, cond: Code[], body: () => void, step: Code[]): void {
  fn.emit(I.block, I.loop, ...cond, I.i32Eqz, I.brIf(1));
  body();
  fn.emit(...step, I.br(0), I.end, I.end);
}

function generateTapT(Ci: number, Co: number): Uint8Array {
  const fn = new Fn("tapT", 2);
  const [SRC, DST] = [0, 1];
  const c0 = fn.local("i32"), sp = fn.local("i32"), dp = fn.local("i32"), end = fn.local("i32");
  /** source rows c0 … c0+mr−1, all Co columns: dst[o·Ci + c0 + k] = src[(c0 + k)·Co + o] */
  const rows = (mr: number) => {
    fn.emit(I.get(SRC), I.get(c0), I.i32(Co * 4), I.i32Mul, I.i32Add, I.tee(sp), I.i32(Co * 4), I.i32Add, I.set(end));
    fn.emit(I.get(DST), I.get(c0), I.i32(4), I.i32Mul, I.i32Add, I.set(dp));
    whileLoop(fn, [I.get(sp), I.get(end), I.i32LtU], () => {
      for (let k = 0; k < mr; k++) fn.emit(I.get(dp), I.get(sp), SCALAR.loadAt(k * Co * 4), SCALAR.storeAt(k * 4));
    }, [I.get(sp), I.i32(4), I.i32Add, I.set(sp), I.get(dp), I.i32(Ci * 4), I.i32Add, I.set(dp)]);
  };
  fn.emit(I.i32(0), I.set(c0));
  if (Ci >= 4) whileLoop(fn, [I.get(c0), I.i32(Ci - 3), I.i32LtS], () => rows(4), [I.get(c0), I.i32(4), I.i32Add, I.set(c0)]);
  if (Ci % 4 > 0) whileLoop(fn, [I.get(c0), I.i32(Ci), I.i32LtS], () => rows(1), [I.get(c0), I.i32(1), I.i32Add, I.set(c0)]);
  return assemble([fn]);
}

function generatePlacer(Ci: number, W: number, sh: number, sw: number): Uint8Array {
  const make = (name: string, copy: boolean) => {
    const fn = copy ? new Fn(name, 4) : new Fn(name, 3);
    const [SRC, DST, ROWS, COLS] = copy ? [0, 1, 2, 3] : [-1, 0, 1, 2];
    const r = fn.local("i32"), n = fn.local("i32"), dp = fn.local("i32"), sp = fn.local("i32");
    if (copy) fn.emit(I.get(SRC), I.set(sp));
    const pixel = () => {
      // Ci floats: f32x4 while 4 remain, then scalars (constant offsets: the loop is unrolled per pixel)
      let c = 0;
      for (; c + 4 <= Ci; c += 4) fn.emit(I.get(dp), ...(copy ? [I.get(sp), VEC.loadAt(c * 4)] : [VEC.const(0)]), VEC.storeAt(c * 4));
      for (; c < Ci; c++) fn.emit(I.get(dp), ...(copy ? [I.get(sp), SCALAR.loadAt(c * 4)] : [SCALAR.const(0)]), SCALAR.storeAt(c * 4));
    };
    fn.emit(I.i32(0), I.set(r));
    whileLoop(fn, [I.get(r), I.get(ROWS), I.i32LtS], () => {
      // dp = DST + r·sh·W·Ci·4
      fn.emit(I.get(DST), I.get(r), I.i32(sh * W * Ci * 4), I.i32Mul, I.i32Add, I.set(dp));
      fn.emit(I.i32(0), I.set(n));
      whileLoop(fn, [I.get(n), I.get(COLS), I.i32LtS], pixel, [
        I.get(dp), I.i32(sw * Ci * 4), I.i32Add, I.set(dp),
        ...(copy ? [I.get(sp), I.i32(Ci * 4), I.i32Add, I.set(sp)] : []),
        I.get(n), I.i32(1), I.i32Add, I.set(n)]);
    }, [I.get(r), I.i32(1), I.i32Add, I.set(r)]);
    return fn;
  };
  return assemble([make("place", true), make("zero", false)]);
}

/** Largest channel count whose per-pixel copy is unrolled (keeps each module small); wider runs fall back. */
const MAX_UNROLLED_CHANNELS = 1024;

/** The tap transposer for `[Ci, Co]` taps on `memory` (cached), or null where wasm SIMD is missing. */
export function tapTransposer(memory: WebAssembly.Memory, Ci: number, Co: number): TapTransposer | null {
  if (!simdSupported()) return null;
  return cached(memory, `conv2d-bpi-tapT:${Ci},${Co}`, () => instantiate<TapTransposer>(generateTapT(Ci, Co), memory));
}

/** The phase placer for images `[·, W, Ci]` and strides (sh, sw) on `memory` (cached), or null. */
export function phasePlacer(memory: WebAssembly.Memory, Ci: number, W: number, sh: number, sw: number): PhasePlacer | null {
  if (!simdSupported() || Ci > MAX_UNROLLED_CHANNELS) return null;
  return cached(memory, `conv2d-bpi-place:${Ci},${W},${sh},${sw}`, () => instantiate<PhasePlacer>(generatePlacer(Ci, W, sh, sw), memory));
}
