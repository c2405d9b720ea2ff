/**
 * A minimal WebAssembly assembler for spikelab's generated kernels (the fused neuron kernels of
 * `neurons/kernels/`, the conv gradients of `backend/kernels/`): just enough of the binary format
 * (one imported memory, functions of i32 parameters, i32/f32/v128 locals, structured control flow,
 * scalar f32 and 128-bit SIMD f32x4 arithmetic) to emit small loops specialised per configuration.
 *
 * Why generate wasm at all: a typed-array loop in JS costs ~10–15 ns per element for the LIF
 * recurrence (float64 arithmetic with a `Math.fround` after every op, data-dependent branches for
 * the spike, three float32 stores), while the same loop in wasm SIMD does four neurons per
 * instruction in native float32 — and IEEE float32 `+ − × ÷` are correctly rounded, so f32x4
 * lanes give exactly the values of the `Math.fround` chain (fround of a double op on float32
 * operands equals the float32 op, since a double holds ≥ 2·24 + 2 bits). The kernels run directly
 * on the TF.js wasm backend's heap (its `WebAssembly.Memory` is imported), so nothing is copied.
 *
 * Each kernel is a tiny module (a few hundred bytes, well under the 4 KB browsers allow for
 * synchronous compilation on the main thread), built once per configuration and cached.
 */

export type ValType = "i32" | "f32" | "v128";
/** A run of instruction bytes. */
export type Code = readonly number[];

const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  let x = v >>> 0;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  let x = v | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const f32Scratch = new DataView(new ArrayBuffer(4));
function f32Bytes(v: number): number[] {
  f32Scratch.setFloat32(0, v, true);
  return [0, 1, 2, 3].map((i) => f32Scratch.getUint8(i));
}

const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
/** memarg: alignment hint 0 (no alignment assumed), offset 0. */
const MEMARG = [0x00, 0x00];
/** memarg with a constant byte offset added to the address operand. */
const memarg = (offset: number) => [0x00, ...uleb(offset)];

/** Instructions (each returns its bytes; compose by concatenation). */
export const I = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], else: [0x05], end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  select: [0x1b],
  get: (l: number) => [0x20, ...uleb(l)],
  set: (l: number) => [0x21, ...uleb(l)],
  tee: (l: number) => [0x22, ...uleb(l)],
  i32: (v: number) => [0x41, ...sleb(v)],
  f32: (v: number) => [0x43, ...f32Bytes(v)],
  i32Eqz: [0x45], i32Eq: [0x46], i32Ne: [0x47], i32LtS: [0x48], i32LtU: [0x49], i32GtS: [0x4a], i32GeS: [0x4e], i32GeU: [0x4f],
  i32Add: [0x6a], i32Sub: [0x6b], i32Mul: [0x6c], i32And: [0x71], i32Shl: [0x74], i32ShrU: [0x76],
  f32Load: [0x2a, ...MEMARG], f32Store: [0x38, ...MEMARG],
  f32Abs: [0x8b], f32Neg: [0x8c], f32Add: [0x92], f32Sub: [0x93], f32Mul: [0x94], f32Div: [0x95], f32Min: [0x96], f32Max: [0x97],
  f32Eq: [0x5b], f32Lt: [0x5d], f32Gt: [0x5e], f32Le: [0x5f], f32Ge: [0x60],
  f32ConvertI32U: [0xb3], f32Nearest: [0x90], f32ReinterpretI32: [0xbe],
  i32TruncSatF32S: [0xfc, 0x00],
  v128Load: simd(0x00, ...MEMARG), v128Store: simd(0x0b, ...MEMARG),
  v128Load32Splat: simd(0x09, 0x02, 0x00),
  /** Loads and stores at `address + offset` (offset a non-negative byte constant). */
  f32LoadAt: (offset: number) => [0x2a, ...memarg(offset)],
  f32StoreAt: (offset: number) => [0x38, ...memarg(offset)],
  v128LoadAt: (offset: number) => simd(0x00, ...memarg(offset)),
  v128StoreAt: (offset: number) => simd(0x0b, ...memarg(offset)),
  v128Load32SplatAt: (offset: number) => simd(0x09, ...memarg(offset)),
  v128Const: (lanes: [number, number, number, number]) => simd(0x0c, ...lanes.flatMap(f32Bytes)),
  f32x4Splat: simd(0x13),
  f32x4ExtractLane: (lane: number) => simd(0x1f, lane),
  f32x4Eq: simd(0x41), f32x4Lt: simd(0x43), f32x4Gt: simd(0x44), f32x4Le: simd(0x45), f32x4Ge: simd(0x46),
  v128And: simd(0x4e), v128Or: simd(0x50), v128Bitselect: simd(0x52),
  f32x4Nearest: simd(0x6a),
  i32x4Splat: simd(0x11), i32x4Shl: simd(0xab), i32x4Add: simd(0xae), i32x4TruncSatF32x4S: simd(0xf8),
  f32x4Abs: simd(0xe0), f32x4Neg: simd(0xe1), f32x4Add: simd(0xe4), f32x4Sub: simd(0xe5), f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7), f32x4Min: simd(0xe8), f32x4Max: simd(0xe9),
} as const;

/** One function under construction: `nParams` i32 parameters, no results, locals added on demand. */
export class Fn {
  private readonly locals: ValType[] = [];
  private readonly body: number[] = [];

  constructor(readonly exportName: string, readonly nParams: number) {}

  /** A new local of type `t`; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.nParams + this.locals.length - 1;
  }

  emit(...code: Code[]): this {
    for (const c of code) this.body.push(...c);
    return this;
  }

  /** The code-section entry (size, locals, body, end). */
  encode(): number[] {
    const locals = vec(this.locals.map((t) => [1, VALTYPE[t]]));
    const code = [...locals, ...this.body, ...I.end];
    return [...uleb(code.length), ...code];
  }
}

/** A module importing `env.memory` (unshared, no maximum) and exporting every function. */
export function assemble(fns: Fn[]): Uint8Array {
  const types = section(1, vec(fns.map((f) => [0x60, ...vec(Array.from({ length: f.nParams }, () => [VALTYPE.i32])), 0])));
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x00]]));
  const funcs = section(3, vec(fns.map((_, i) => uleb(i))));
  const exports = section(7, vec(fns.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)])));
  const code = section(10, vec(fns.map((f) => f.encode())));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

let simdOk: boolean | undefined;

/** Whether this engine validates wasm SIMD (f32x4) code. */
export function simdSupported(): boolean {
  if (simdOk === undefined) {
    try {
      const f = new Fn("probe", 1);
      const v = f.local("v128");
      f.emit(I.get(0), I.v128Load, I.f32(1), I.f32x4Splat, I.f32x4Add, I.set(v));
      simdOk = typeof WebAssembly === "object" && WebAssembly.validate(assemble([f]));
    } catch {
      simdOk = false;
    }
  }
  return simdOk;
}

/** Instantiate `bytes` on `memory`; null where the engine refuses (no SIMD, size limits, shared memory). */
export function instantiate<T>(bytes: Uint8Array, memory: WebAssembly.Memory): T | null {
  try {
    const mod = new WebAssembly.Module(bytes);
    return new WebAssembly.Instance(mod, { env: { memory } }).exports as T;
  } catch {
    return null;
  }
}

/**
 * Lane abstraction: the same kernel body is emitted twice, once on f32x4 vectors (4 neurons per
 * step) and once on scalar f32 for the N mod 4 tail; comparisons give a v128 lane mask or an i32.
 */
export interface Lanes {
  readonly vt: ValType;
  readonly mt: ValType;
  /** Bytes per step. */
  readonly step: number;
  load: readonly number[];
  store: readonly number[];
  /** Load / store at address + a constant byte offset. */
  loadAt(offset: number): number[];
  storeAt(offset: number): number[];
  /** Load one float32 at address + offset into every lane. */
  splatAt(offset: number): number[];
  const(c: number): number[];
  add: readonly number[]; sub: readonly number[]; mul: readonly number[]; div: readonly number[];
  abs: readonly number[]; max: readonly number[]; min: readonly number[];
  /** Round to nearest integer (ties to even). */
  nearest: readonly number[];
  /** Stack: n (an integral float in [−126, 127]) → 2ⁿ, built from the exponent bits. */
  pow2: readonly number[];
  ge: readonly number[]; gt: readonly number[]; lt: readonly number[];
  /** Stack: a, b, mask → mask ? a : b. */
  select: readonly number[];
  /** Stack: mask → 1.0 where set, else 0.0. */
  mask01: readonly number[];
}

export const VEC: Lanes = {
  vt: "v128", mt: "v128", step: 16,
  load: I.v128Load, store: I.v128Store,
  loadAt: I.v128LoadAt, storeAt: I.v128StoreAt, splatAt: I.v128Load32SplatAt,
  const: (c) => I.v128Const([c, c, c, c]),
  add: I.f32x4Add, sub: I.f32x4Sub, mul: I.f32x4Mul, div: I.f32x4Div, abs: I.f32x4Abs, max: I.f32x4Max, min: I.f32x4Min,
  nearest: I.f32x4Nearest,
  pow2: [...I.i32x4TruncSatF32x4S, ...I.i32(127), ...I.i32x4Splat, ...I.i32x4Add, ...I.i32(23), ...I.i32x4Shl],
  ge: I.f32x4Ge, gt: I.f32x4Gt, lt: I.f32x4Lt,
  select: I.v128Bitselect,
  mask01: [...I.v128Const([1, 1, 1, 1]), ...I.v128And],
};

export const SCALAR: Lanes = {
  vt: "f32", mt: "i32", step: 4,
  load: I.f32Load, store: I.f32Store,
  loadAt: I.f32LoadAt, storeAt: I.f32StoreAt, splatAt: I.f32LoadAt,
  const: (c) => I.f32(c),
  add: I.f32Add, sub: I.f32Sub, mul: I.f32Mul, div: I.f32Div, abs: I.f32Abs, max: I.f32Max, min: I.f32Min,
  nearest: I.f32Nearest,
  pow2: [...I.i32TruncSatF32S, ...I.i32(127), ...I.i32Add, ...I.i32(23), ...I.i32Shl, ...I.f32ReinterpretI32],
  ge: I.f32Ge, gt: I.f32Gt, lt: I.f32Lt,
  select: I.select,
  mask01: I.f32ConvertI32U,
};

/**
 * Horizontal sum of a v128 in local `v`: (v₀ + v₁) + (v₂ + v₃) as f32 (leaves an f32 on the stack).
 * For scalar lanes the value is already a sum.
 */
export function hsum(L: Lanes, v: number): number[] {
  if (L.vt === "f32") return [...I.get(v)];
  const lane = (k: number) => [...I.get(v), ...I.f32x4ExtractLane(k)];
  return [...lane(0), ...lane(1), ...I.f32Add, ...lane(2), ...lane(3), ...I.f32Add, ...I.f32Add];
}

/** Emit `for (; o < end; o += L.step) body`, where `o` and `end` are i32 locals (byte offsets). */
export function stepLoop(fn: Fn, L: Lanes, o: number, end: number, body: Code[]): void {
  fn.emit(I.block, I.loop, I.get(o), I.get(end), I.i32GeU, I.brIf(1), ...body,
    I.get(o), I.i32(L.step), I.i32Add, I.set(o), I.br(0), I.end, I.end);
}

const caches = new WeakMap<WebAssembly.Memory, Map<string, unknown>>();

/** Memoise `make()` per memory and key (generated kernels are specialised and instantiated once). */
export function cached<T>(memory: WebAssembly.Memory, key: string, make: () => T | null): T | null {
  let m = caches.get(memory);
  if (!m) caches.set(memory, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T | null;
}
