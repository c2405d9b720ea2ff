/**
 * src/lib/backend/wasm-heap.ts: float32 views of a kernel's inputs and new outputs on both backends, the
 * heap as an importable `WebAssembly.Memory`, and the dtype check naming the kernel.
 */
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { checkFloat32, wasmHeapMemory, withFloat32Arrays, type ArrayBackendName } from "../../src/lib/backend/wasm-heap.js";
import { onBackend } from "./wasm-kernels-helpers.js";

/** y = 2x + 1 and the input's sum, through withFloat32Arrays on the current backend. */
function twiceXPlusOne(name: ArrayBackendName, x: tf.Tensor): tf.Tensor[] {
  const xi = { dataId: x.dataId, shape: x.shape, dtype: x.dtype } as tf.TensorInfo;
  const outs = withFloat32Arrays("Test", name, tf.backend(), [xi, undefined], [x.shape, [1]], ([xa, absent], [y, s]) => {
    expect(absent).toBeNull();
    let sum = 0;
    xa!.forEach((v, i) => { y![i] = 2 * v + 1; sum += v; });
    s![0] = sum;
  });
  return outs.map((o) => tf.engine().makeTensorFromTensorInfo(o));
}

describe("wasm-heap", () => {
  for (const rung of ["cpu", "wasm"] as const) {
    it(`withFloat32Arrays reads inputs and fills new outputs on ${rung}`, async () => {
      const [y, s] = await onBackend(rung, () => {
        const x = tf.tensor1d([1, -2, 3.5]);
        const r = twiceXPlusOne(rung, x).map((t) => Array.from(t.dataSync()));
        x.dispose();
        return r;
      });
      expect(y).toEqual([3, -3, 8]);
      expect(s).toEqual([2.5]);
    });
  }
  it("wasmHeapMemory: the wasm heap is importable, the cpu backend has none", async () => {
    expect(await onBackend("wasm", () => wasmHeapMemory(tf.backend()))).toBeInstanceOf(WebAssembly.Memory);
    expect(await onBackend("cpu", () => wasmHeapMemory(tf.backend()))).toBeNull();
  });
  it("checkFloat32 names the kernel and the dtype", () => {
    const i = tf.tensor1d([1], "int32");
    expect(() => checkFloat32("SpikelabX", [undefined, i as unknown as tf.TensorInfo])).toThrow(/SpikelabX: inputs must be float32, got int32/);
    i.dispose();
  });
});
