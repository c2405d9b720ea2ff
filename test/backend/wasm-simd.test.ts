// The wasm assembler (src/lib/backend/wasm-simd.ts): LEB128 encodings against hand-computed bytes from the wasm
// spec's examples, and an assembled module whose scalar, f32x4 and control-flow code runs on an imported memory.
import { describe, expect, it } from "vitest";
import { assemble, Fn, I, instantiate, sleb, simdSupported, uleb, VEC } from "../../src/lib/backend/wasm-simd.js";

describe("wasm-simd assembler", () => {
  it("encodes LEB128 as the wasm spec", () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it("assembles a loop that scales a float32 array in place (f32x4 body) on an imported memory", () => {
    expect(simdSupported()).toBe(true); // Node 20's V8 validates wasm SIMD; the kernels depend on it
    // scale(ptr, n): for (o = ptr; o < ptr + 4n; o += 16) v128[o] = v128[o] · 3
    const fn = new Fn("scale", 2);
    const o = fn.local("i32"), end = fn.local("i32");
    fn.emit(I.get(0), I.set(o), I.get(0), I.get(1), I.i32(4), I.i32Mul, I.i32Add, I.set(end));
    fn.emit(I.block, I.loop, I.get(o), I.get(end), I.i32GeU, I.brIf(1),
      I.get(o), I.get(o), VEC.load, VEC.const(3), VEC.mul, VEC.store,
      I.get(o), I.i32(16), I.i32Add, I.set(o), I.br(0), I.end, I.end);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const k = instantiate<{ scale(ptr: number, n: number): void }>(assemble([fn]), memory);
    expect(k).not.toBeNull();
    const a = new Float32Array(memory.buffer, 64, 12);
    a.set(Array.from({ length: 12 }, (_, i) => i - 5.5));
    k!.scale(64, 8); // the first 8 only
    expect(Array.from(a)).toEqual([...Array.from({ length: 8 }, (_, i) => 3 * (i - 5.5)), 2.5, 3.5, 4.5, 5.5]);
  });
});
