/**
 * The copy-free wasm kernels of src/lib/backend/wasm-kernels.ts (`Identity`, `Cast` to the same dtype,
 * `Slice`): same values as the cpu backend, and the data sharing / freeing they promise.
 */
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { WASM_KERNELS_COPY_FREE } from "../../src/lib/backend/wasm-kernels.js";
import { compareBackends, normal, onBackend } from "./wasm-kernels-helpers.js";

type WasmBackend = { getMemoryOffset(dataId: object): number; numDataIds(): number };

describe("copy-free wasm kernels", () => {
  it("are registered for Identity, Cast and Slice, marked as spikelab's", () => {
    expect([...WASM_KERNELS_COPY_FREE].sort()).toEqual(["Cast", "Identity", "Slice"]);
    for (const name of WASM_KERNELS_COPY_FREE) {
      const k = tf.getKernel(name, "wasm") as unknown as Record<symbol, unknown> | undefined;
      expect(k?.[Symbol.for("spikelab.kernel")], name).toBe(true);
    }
  });

  it("clone and same-dtype cast share the data; disposing either side keeps the other intact", async () => {
    await onBackend("wasm", () => {
      const b = tf.backend() as unknown as WasmBackend;
      const ids = b.numDataIds();
      const x = tf.tensor2d(normal([3, 5], 1), [3, 5]);
      const y = tf.clone(x), z = tf.cast(x, "float32");
      expect(b.getMemoryOffset(y.dataId)).toBe(b.getMemoryOffset(x.dataId));
      expect(b.getMemoryOffset(z.dataId)).toBe(b.getMemoryOffset(x.dataId));
      const want = Array.from(x.dataSync());
      x.dispose();
      expect(Array.from(y.dataSync())).toEqual(want);
      y.dispose();
      expect(Array.from(z.dataSync())).toEqual(want);
      z.dispose();
      expect(b.numDataIds()).toBe(ids); // the shared buffer is freed with its last reference
      // A cast that changes the dtype still converts (stock kernel), into new data.
      const f = tf.tensor1d([1.7, -2.2, 3]), i = tf.cast(f, "int32");
      expect(i.dtype).toBe("int32");
      expect(Array.from(i.dataSync())).toEqual([1, -2, 3]);
      expect(b.getMemoryOffset(i.dataId)).not.toBe(b.getMemoryOffset(f.dataId));
      tf.dispose([f, i]);
    });
  });

  it("a variable assigned from a clone, and the clone's gradient, behave as on cpu", async () => {
    const run = () => {
      const v = tf.variable(tf.tensor1d([1, 2, 3]));
      const c = tf.clone(v);
      v.assign(tf.tensor1d([4, 5, 6]));
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.clone(a), a)))(c);
      const out = [...c.dataSync(), ...v.dataSync(), ...g.dataSync()];
      tf.dispose([v, c, g]);
      return out;
    };
    expect(await onBackend("wasm", run)).toEqual(await onBackend("cpu", run));
  });

  it("slice equals cpu over ranks 1-5, contiguous and strided windows, float32/int32/bool", async () => {
    type C = { shape: number[]; begin: number[]; size: number[]; dtype: "float32" | "int32" | "bool" };
    const cases: C[] = [];
    const shapes = [[11], [4, 7], [3, 4, 5], [2, 3, 4, 5], [2, 2, 3, 2, 3]];
    for (const shape of shapes) {
      const r = shape.length;
      const windows: Array<[number[], number[]]> = [
        [shape.map(() => 0), shape.slice()],                                   // everything
        [shape.map((d, i) => (i === 0 ? d - 1 : 0)), shape.map((d, i) => (i === 0 ? 1 : d))], // last outer slab (contiguous)
        [shape.map((d) => Math.min(1, d - 1)), shape.map((d) => Math.max(1, d - 2))],          // interior (strided)
        [shape.map(() => 0), shape.map((d, i) => (i === r - 1 ? 1 : d))],     // one column
        [shape.map(() => 0), shape.map(() => 0)],                             // empty
      ];
      for (const [begin, size] of windows) for (const dtype of ["float32", "int32", "bool"] as const) cases.push({ shape, begin, size, dtype });
    }
    const { failures } = await compareBackends(cases, (c) => {
      const v = normal(c.shape, c.shape.length);
      const x = c.dtype === "float32" ? tf.tensor(v, c.shape) : tf.tensor(Array.from(v, (a) => (c.dtype === "bool" ? (a > 0 ? 1 : 0) : Math.round(a * 10))), c.shape, c.dtype);
      const y = tf.slice(x, c.begin, c.size);
      x.dispose();
      return tf.cast(y, "float32");
    }, (c) => `slice [${c.shape}] begin [${c.begin}] size [${c.size}] ${c.dtype}`, 0);
    expect(failures).toEqual([]);
  });

  it("slice with -1 sizes and its gradient equal cpu; no data leaks", async () => {
    const { failures } = await compareBackends([0, 1], (k) => {
      const x = tf.tensor3d(normal([3, 4, 6], 5 + k), [3, 4, 6]);
      const y = tf.slice(x, [1, k, 2], [-1, 2, -1]);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.slice(a, [0, 1, k], [2, -1, 3]))))(x);
      x.dispose();
      return [y, g];
    }, (k) => `case ${k}`, 0);
    expect(failures).toEqual([]);
    await onBackend("wasm", () => {
      const b = tf.backend() as unknown as WasmBackend;
      const x = tf.tensor2d(normal([16, 64], 9), [16, 64]);
      const ids = b.numDataIds(), n = tf.memory().numTensors;
      tf.slice(x, [15, 0], [1, 64]).dispose();
      tf.slice(x, [2, 3], [5, 7]).dispose();
      expect(b.numDataIds()).toBe(ids);
      expect(tf.memory().numTensors).toBe(n);
      x.dispose();
    });
  });
});
