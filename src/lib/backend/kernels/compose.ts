/**
 * Composing a kernel out of other kernels of the same backend (toolchain §7.2).
 *
 * TF.js 4.22's wasm backend lacks some backward kernels (toolchain §7.1). Rather than copy the
 * tensors to the pure-JS cpu backend (slow: 19.9 s for one conv filter gradient, §7.2), each
 * missing kernel is written as a short program over kernels wasm *does* have (Conv2D,
 * DepthwiseConv2dNative, Transpose, PadV2, Slice, StridedSlice, Sum, ...), called directly as
 * `kernelFunc({inputs, backend, attrs})`. Such calls bypass the engine, so nothing is tracked or
 * freed for us: {@link Composer} remembers every intermediate `TensorInfo` and frees all but the
 * result with `backend.disposeData(dataId)`. `Reshape` shares its input's data and bumps its
 * reference count, so freeing both the reshaped and the original info is correct.
 *
 * The composer looks kernels up by backend name at call time, so the same program runs on any
 * backend that has the building blocks (the tests also run them on `cpu`).
 */
import { tf } from "../tf.js";

export type TensorInfo = tf.TensorInfo;
export type Backend = tf.KernelBackend;
/** The arguments every kernel function receives. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: Backend;
  attrs?: Record<string, unknown>;
}

/** Records intermediate tensors of a composed kernel and frees them when it is done. */
export class Composer {
  private readonly temps: TensorInfo[] = [];

  constructor(readonly backend: Backend, readonly backendName: string) {}

  /** Run the backend's own kernel `name`; the result is freed by {@link finish} unless returned. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
    const kernel = tf.getKernel(name, this.backendName);
    if (kernel == null) {
      throw new Error(`wasm-kernels: composing needs kernel '${name}' on backend '${this.backendName}', ` +
        "which is not registered");
    }
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    if (Array.isArray(out)) {
      for (const o of out) this.temps.push(o);
      throw new Error(`wasm-kernels: kernel '${name}' returned ${out.length} outputs; expected one`);
    }
    this.temps.push(out);
    return out;
  }

  /** Make a tensor from JS values (kept until {@link finish}). */
  constant(shape: number[], dtype: "float32" | "int32", values: Float32Array | Int32Array): TensorInfo {
    const dataId = this.backend.write(values, shape, dtype);
    const info: TensorInfo = { dataId, shape, dtype };
    this.temps.push(info);
    return info;
  }

  /** Adopt a tensor made outside {@link run} (e.g. `makeOutput` for a generated kernel): freed like the others. */
  track(t: TensorInfo): TensorInfo {
    this.temps.push(t);
    return t;
  }

  /** Free an intermediate now (to bound peak memory inside loops). */
  free(t: TensorInfo): void {
    const i = this.temps.indexOf(t);
    if (i < 0) return;
    this.temps.splice(i, 1);
    this.backend.disposeData(t.dataId);
  }

  /** Free every intermediate except `result`, and return `result`. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.temps) if (t !== result) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
    return result;
  }

  /** Free everything (on error). */
  abort(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  // ---- thin wrappers with TF.js attribute names ------------------------------------------------

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return perm.every((p, i) => p === i) ? x : this.run("Transpose", { x }, { perm });
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return sameShape(x.shape, shape) ? x : this.run("Reshape", { x }, { shape });
  }

  /**
   * Pad (positive amounts) and crop (negative amounts) each axis: `amounts[i] = [before, after]`.
   * Cropping first, then one PadV2 with `value`.
   */
  padOrCrop(x: TensorInfo, amounts: Array<[number, number]>, value = 0): TensorInfo {
    let y = x;
    if (amounts.some(([a, b]) => a < 0 || b < 0)) {
      const begin = amounts.map(([a]) => Math.max(0, -a));
      const size = amounts.map(([a, b], i) => y.shape[i]! - Math.max(0, -a) - Math.max(0, -b));
      if (size.some((s) => s < 0)) throw new Error(`wasm-kernels: cannot crop shape [${y.shape}] by ${JSON.stringify(amounts)}`);
      y = this.slice(y, begin, size);
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
      y = this.run("PadV2", { x: y }, { paddings, constantValue: value });
    }
    return y;
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && sameShape(x.shape, size)) return x;
    return this.run("Slice", { x }, { begin, size });
  }

  stridedSlice(x: TensorInfo, begin: number[], end: number[], strides: number[]): TensorInfo {
    return this.run("StridedSlice", { x }, {
      begin, end, strides, beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
    });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    if (axis.every((a) => x.shape[a] === 1)) {
      return this.reshape(x, x.shape.filter((_, i) => !axis.includes(i)));
    }
    return this.run("Sum", { x }, { axis, keepDims: false });
  }

  fill(shape: number[], value: number): TensorInfo {
    return this.run("Fill", {}, { shape, value, dtype: "float32" });
  }

  /**
   * Insert `s - 1` zeros after every element along spatial axes 1 and 2 of an NHWC tensor:
   * `[B,H,W,C] → [B, H·sh, W·sw, C]` with `out[b, i·sh, j·sw, c] = x[b,i,j,c]`, zeros elsewhere.
   * Done as reshape `[B,H,1,W,1,C]` → PadV2 → reshape (pure data movement, no arithmetic).
   */
  zeroUpsample(x: TensorInfo, sh: number, sw: number): TensorInfo {
    if (sh === 1 && sw === 1) return x;
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const x6 = this.reshape(x, [B, H, 1, W, 1, C]);
    const p = this.run("PadV2", { x: x6 }, {
      paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0,
    });
    return this.reshape(p, [B, H * sh, W * sw, C]);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Run `body` with a fresh {@link Composer}; frees every intermediate but the result. */
export function compose(backend: Backend, backendName: string, body: (c: Composer) => TensorInfo): TensorInfo {
  const c = new Composer(backend, backendName);
  try {
    return c.finish(body(c));
  } catch (e) {
    c.abort();
    throw e;
  }
}

/** Throw unless `t` has `rank` dimensions; names the kernel and the argument. */
export function expectRank(kernel: string, arg: string, t: TensorInfo | undefined, rank: number): TensorInfo {
  if (t == null) throw new Error(`${kernel}: input '${arg}' is missing`);
  if (t.shape.length !== rank) {
    throw new Error(`${kernel}: input '${arg}' has shape [${t.shape}]; expected rank ${rank}`);
  }
  return t;
}

/** Throw unless `t.shape` equals `expected`. */
export function expectShape(kernel: string, arg: string, t: TensorInfo, expected: number[]): void {
  if (!sameShape(t.shape, expected)) {
    throw new Error(`${kernel}: input '${arg}' has shape [${t.shape}]; expected [${expected}]`);
  }
}
