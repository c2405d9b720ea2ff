/**
 * Named float32 tensors packed into one `SharedArrayBuffer`, in a fixed order, optionally in several
 * copies (one gradient slot per worker). The main thread and the workers build the same layout from the
 * same list of (name, shape), so an offset means the same tensor on both sides.
 */

export interface TensorSpec {
  name: string;
  shape: number[];
}

/** (name, shape) of named variables — parameters or buffers — in their order. */
export function tensorSpecs(xs: readonly { name: string; variable: { shape: number[] } }[]): TensorSpec[] {
  return xs.map((p) => ({ name: p.name, shape: p.variable.shape.slice() }));
}

export interface SharedTensorsLayout {
  buffer: SharedArrayBuffer;
  specs: TensorSpec[];
  copies: number;
}

export class SharedTensors {
  readonly offsets: number[] = [];
  readonly sizes: number[] = [];
  /** Float32 values per copy. */
  readonly length: number;
  private readonly all: Float32Array;

  constructor(readonly layout: SharedTensorsLayout) {
    let off = 0;
    for (const s of layout.specs) {
      const size = s.shape.reduce((a, d) => a * d, 1);
      this.offsets.push(off);
      this.sizes.push(size);
      off += size;
    }
    this.length = off;
    if (layout.buffer.byteLength < off * layout.copies * 4) {
      throw new Error(`SharedTensors: buffer of ${layout.buffer.byteLength} bytes is too small for ${layout.copies} × ${off} float32 values`);
    }
    this.all = new Float32Array(layout.buffer, 0, off * layout.copies);
  }

  /** A fresh shared buffer for `specs` × `copies`. */
  static create(specs: TensorSpec[], copies = 1): SharedTensors {
    const size = specs.reduce((a, s) => a + s.shape.reduce((b, d) => b * d, 1), 0);
    return new SharedTensors({ buffer: new SharedArrayBuffer(Math.max(4, size * copies * 4)), specs, copies });
  }

  /** Copy `copy` as one flat view. */
  copyView(copy = 0): Float32Array {
    return this.all.subarray(copy * this.length, (copy + 1) * this.length);
  }

  /** Tensor `i` of copy `copy` (a view into shared memory, not a copy). */
  view(i: number, copy = 0): Float32Array {
    const start = copy * this.length + this.offsets[i]!;
    return this.all.subarray(start, start + this.sizes[i]!);
  }
}

/** Same names and shapes in the same order, or the first difference in words. */
export function specMismatch(expected: TensorSpec[], got: TensorSpec[], what: string): string | null {
  if (expected.length !== got.length) return `${what}: expected ${expected.length} tensors, got ${got.length}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!, g = got[i]!;
    if (e.name !== g.name || e.shape.join() !== g.shape.join()) {
      return `${what} #${i}: expected '${e.name}' [${e.shape}], got '${g.name}' [${g.shape}]`;
    }
  }
  return null;
}
