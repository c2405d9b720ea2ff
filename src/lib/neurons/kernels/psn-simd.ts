/**
 * WebAssembly SIMD kernels of the fused PSN (papers.md §1.2): S = Θ(H), H = W·X + b with
 * X, H, S ∈ R^{T×N} (time-major rows of N floats), W ∈ R^{T×T}, b ∈ R^T, and its backward
 *
 *   gH = gS ⊙ σ′(H),   ∂L/∂b[t] = Σ_n gH[t, n],   ∂L/∂X = Wᵀ·gH,   ∂L/∂W = gH·Xᵀ.
 *
 * Why not the stock matmuls: on TF.js's wasm backend the forward W·X, Wᵀ·gH and gH·Xᵀ cost ~50, ~95
 * and ~110 ms at T = 64, N = 2^16 (XNNPACK re-packs the [T, N] operand on every call, and the two
 * transposed products need a materialised transpose of a [T, N] array first); the spike, the
 * surrogate and the bias reduction are three more full passes. Here every product is a register-
 * tiled loop that reads the [T, N] operands in place, row-major, with no transpose:
 *
 * - `mm` (forward and ∂L/∂X): OUT[t, n] = Σ_u W[t·so + u·si]·IN[u, n] (+ b[t]), accumulated over u
 *   in order; tiles of 4 output rows × 8 columns (8 f32x4 accumulators), the T input rows of one
 *   column block stay in L1 across the row tiles. The forward also writes S = Θ(H) (tie rule of the
 *   surrogate); ∂L/∂X uses the transposed strides (so, si) = (1, T) instead of (T, 1).
 * - `gh`: one pass over gS and H writing gH and the row sums ∂L/∂b.
 * - `dw`: ∂L/∂W[t][u] = Σ_n gH[t, n]·X[u, n] as row dot products, tiles of 4 × 2 rows, N blocked so
 *   that the 2·T rows of a block stay in cache; per-block partial sums are added into ∂L/∂W.
 *
 * All arithmetic is float32, like the op path (sums in a different order, so results agree with it
 * to float32 rounding, not bit for bit). T is baked into the code; N is a runtime argument, with a
 * scalar f32 loop for the N mod 4 (or mod 8) tail.
 */
import type { SurrogateKind, TieRule } from "../../surrogate.js";
import { simdSurrogate, surrogateDerivative } from "./seq-neuron-simd.js";
import { assemble, cached, Fn, hsum, I, instantiate, SCALAR, simdSupported, stepLoop, VEC, type Code, type Lanes } from "../../backend/wasm-simd.js";

export interface PsnSimdAttrs {
  T: number;
  tie: TieRule;
  sgKind: SurrogateKind;
  sgParam: number;
}

export interface PsnSimdExports {
  /** H = W·X + b, S = Θ(H): (w, b, x, h, s, N, scratch), byte offsets; scratch holds T·64 floats. */
  fwd(w: number, b: number, x: number, h: number, s: number, N: number, scratch: number): void;
  /** ∂L/∂X = Wᵀ·gH: (w, 0, gh, dx, 0, N, scratch). */
  dx(w: number, b: number, gh: number, dx: number, s: number, N: number, scratch: number): void;
  /** gH = gS ⊙ σ′(H), db[t] = Σ_n gH[t, n]: (gs, h, gh, db, N). */
  gh(gs: number, h: number, gh: number, db: number, N: number): void;
  /** dW[t][u] += Σ_n gH[t, n]·X[u, n] over N in blocks of `chunkBytes`: (gh, x, dw, N, chunkBytes); dw zeroed by the caller. */
  dw(gh: number, x: number, dw: number, N: number, chunkBytes: number): void;
}

/** Whether the SIMD PSN kernels cover this surrogate on this engine. */
export function psnSimdSupports(sgKind: string): boolean {
  return simdSurrogate(sgKind) && simdSupported();
}

/** Column block of the dW kernel, in bytes: 2·T rows of it fill ~128 KB (a multiple of 16, ≥ 64 columns). */
export function psnChunkBytes(T: number): number {
  return Math.max(64, Math.floor(16384 / T / 4) * 4) * 4;
}

/** Columns per packed block of the matmul kernel (its T rows are copied to a contiguous scratch). */
export const PSN_PACK_COLUMNS = 64;

/**
 * The matmul kernel: OUT[t, :] = Σ_u W[t·so + u·si]·IN[u, :] (+ b[t]); with `spikes`, also
 * S = Θ(OUT). Parameters (W, B, IN, OUT, S, N, P), P a scratch of T·64 floats.
 *
 * Full blocks of 64 columns are first copied row by row into P (T × 64, contiguous): the tile loop
 * over u then reads 32 consecutive bytes per step from a few pages, instead of striding N·4 bytes
 * through T pages of IN (which, at T = 64, thrashes the TLB and the prefetchers and ran ~2× slower).
 * The < 64-column remainder runs unpacked.
 */
function mmFn(exportName: string, T: number, so: number, si: number, bias: boolean, spikes: boolean, tie: TieRule): Fn {
  const fn = new Fn(exportName, 7);
  const [W, B, IN, OUT, S, N, P] = [0, 1, 2, 3, 4, 5, 6];
  const rowBytes = fn.local("i32"), o = fn.local("i32"), t0 = fn.local("i32"), u = fn.local("i32");
  const xp = fn.local("i32"), wp = fn.local("i32"), rr = fn.local("i32"), end8 = fn.local("i32"), end4 = fn.local("i32");
  const endP = fn.local("i32"), j = fn.local("i32"), pk = fn.local("i32");
  const T4 = T & ~3, CB = PSN_PACK_COLUMNS * 4;
  /**
   * One tile: R output rows from local t0, cw lane-steps of columns. `src` is the address of the
   * tile's first input element, `stride` the byte step between input rows (rowBytes or packed CB),
   * `col` the output column byte offset (local).
   */
  const tile = (L: Lanes, R: number, cw: number, src: Code, stride: Code, col: number): Code[] => {
    const acc = Array.from({ length: R }, () => Array.from({ length: cw }, () => fn.local(L.vt)));
    const xv = Array.from({ length: cw }, () => fn.local(L.vt));
    const wv = fn.local(L.vt);
    const code: Code[] = [];
    for (const row of acc) for (const a of row) code.push(L.const(0), I.set(a));
    code.push(src, I.set(xp));
    code.push(I.get(W), I.get(t0), I.i32(so * 4), I.i32Mul, I.i32Add, I.set(wp));
    code.push(I.i32(T), I.set(u));
    // for (u = T; u > 0; u--): acc[r][c] += W[t0 + r, u]·IN[u, col + c]
    code.push(I.block, I.loop);
    xv.forEach((x, c) => code.push(I.get(xp), L.loadAt(c * L.step), I.set(x)));
    acc.forEach((row, r) => {
      code.push(I.get(wp), L.splatAt(r * so * 4), I.set(wv));
      row.forEach((a, c) => code.push(I.get(a), I.get(wv), I.get(xv[c]!), L.mul, L.add, I.set(a)));
    });
    code.push(I.get(xp), stride, I.i32Add, I.set(xp), I.get(wp), I.i32(si * 4), I.i32Add, I.set(wp));
    code.push(I.get(u), I.i32(1), I.i32Sub, I.tee(u), I.brIf(0), I.end, I.end);
    // Store the R rows: OUT + (t0 + r)·rowBytes + col (+ b[t0 + r]; S alongside).
    code.push(I.get(t0), I.get(rowBytes), I.i32Mul, I.get(col), I.i32Add, I.set(rr));
    acc.forEach((row, r) => {
      row.forEach((a, c) => {
        if (bias) code.push(I.get(a), I.get(B), I.get(t0), I.i32(4), I.i32Mul, I.i32Add, L.splatAt(r * 4), L.add, I.set(a));
        code.push(I.get(OUT), I.get(rr), I.i32Add, I.get(a), L.storeAt(c * L.step));
        if (spikes) {
          code.push(I.get(S), I.get(rr), I.i32Add, I.get(a), L.const(0), tie === ">=" ? L.ge : L.gt, L.mask01, L.storeAt(c * L.step));
        }
      });
      code.push(I.get(rr), I.get(rowBytes), I.i32Add, I.set(rr));
    });
    return code;
  };
  /** Row tiles (4 at a time, then the T mod 4 rest) around `inner` (which may loop over sub-blocks). */
  const rowTiles = (inner: (R: number) => Code[]): Code[] => {
    const code: Code[] = [I.i32(0), I.set(t0)];
    if (T4 > 0) code.push(I.block, I.loop, ...inner(4), I.get(t0), I.i32(4), I.i32Add, I.tee(t0), I.i32(T4), I.i32LtU, I.brIf(0), I.end, I.end);
    if (T % 4) code.push(...inner(T % 4));
    return code;
  };
  const unpacked = (L: Lanes, cw: number): Code[] =>
    rowTiles((R) => tile(L, R, cw, [...I.get(IN), ...I.get(o), ...I.i32Add], I.get(rowBytes), o));
  fn.emit(I.get(N), I.i32(2), I.i32Shl, I.set(rowBytes));
  fn.emit(I.get(N), I.i32(-PSN_PACK_COLUMNS), I.i32And, I.i32(2), I.i32Shl, I.set(endP));
  fn.emit(I.get(N), I.i32(-8), I.i32And, I.i32(2), I.i32Shl, I.set(end8));
  fn.emit(I.get(N), I.i32(-4), I.i32And, I.i32(2), I.i32Shl, I.set(end4));
  fn.emit(I.i32(0), I.set(o));
  // Packed blocks of 64 columns.
  const pack: Code[] = [I.i32(0), I.set(u), I.get(IN), I.get(o), I.i32Add, I.set(xp), I.get(P), I.set(pk)];
  const copyRow: Code[] = [];
  for (let c = 0; c < CB; c += 16) copyRow.push(I.get(pk), I.get(xp), I.v128LoadAt(c), I.v128StoreAt(c));
  pack.push(I.block, I.loop, ...copyRow, I.get(xp), I.get(rowBytes), I.i32Add, I.set(xp), I.get(pk), I.i32(CB), I.i32Add, I.set(pk),
    I.get(u), I.i32(1), I.i32Add, I.tee(u), I.i32(T), I.i32LtU, I.brIf(0), I.end, I.end);
  // Sub-blocks of 8 columns: j = byte offset within the block; output column = o + j.
  const col = fn.local("i32");
  const packedTiles = rowTiles((R) => [
    I.i32(0), I.set(j),
    I.block, I.loop,
    I.get(o), I.get(j), I.i32Add, I.set(col),
    ...tile(VEC, R, 2, [...I.get(P), ...I.get(j), ...I.i32Add], I.i32(CB), col),
    I.get(j), I.i32(32), I.i32Add, I.tee(j), I.i32(CB), I.i32LtU, I.brIf(0), I.end, I.end,
  ]);
  fn.emit(I.block, I.loop, I.get(o), I.get(endP), I.i32GeU, I.brIf(1), ...pack, ...packedTiles,
    I.get(o), I.i32(CB), I.i32Add, I.set(o), I.br(0), I.end, I.end);
  // The rest: 8 columns (two f32x4) at a time, then one f32x4, then scalars.
  fn.emit(I.block, I.loop, I.get(o), I.get(end8), I.i32GeU, I.brIf(1), ...unpacked(VEC, 2),
    I.get(o), I.i32(32), I.i32Add, I.set(o), I.br(0), I.end, I.end);
  stepLoop(fn, VEC, o, end4, unpacked(VEC, 1));
  stepLoop(fn, SCALAR, o, rowBytes, unpacked(SCALAR, 1));
  return fn;
}

/** gH = gS ⊙ σ′(H) and db[t] = Σ_n gH[t, n]. Parameters (GS, H, GH, DB, N). */
function ghFn(a: PsnSimdAttrs): Fn {
  const fn = new Fn("gh", 5);
  const [GS, H, GH, DB, N] = [0, 1, 2, 3, 4];
  const rowBytes = fn.local("i32"), vecBytes = fn.local("i32"), t = fn.local("i32"), o = fn.local("i32");
  const vecEnd = fn.local("i32"), rowEnd = fn.local("i32");
  const sums = new Map<Lanes, number>();
  const body = (L: Lanes): Code[] => {
    const h = fn.local(L.vt), g = fn.local(L.vt), acc = sums.get(L)!;
    const at = (base: number): Code => [...I.get(base), ...I.get(o), ...I.i32Add];
    return [
      at(H), L.load, I.set(h),
      at(GS), L.load, ...surrogateDerivative(fn, L, a.sgKind, a.sgParam, h), L.mul, I.set(g),
      at(GH), I.get(g), L.store,
      I.get(acc), I.get(g), L.add, I.set(acc),
    ];
  };
  sums.set(VEC, fn.local("v128"));
  sums.set(SCALAR, fn.local("f32"));
  fn.emit(I.get(N), I.i32(2), I.i32Shl, I.set(rowBytes));
  fn.emit(I.get(N), I.i32(-4), I.i32And, I.i32(2), I.i32Shl, I.set(vecBytes));
  fn.emit(I.i32(0), I.set(t), I.i32(0), I.set(o));
  fn.emit(I.block, I.loop, I.get(t), I.i32(a.T), I.i32GeU, I.brIf(1));
  fn.emit(I.get(o), I.get(vecBytes), I.i32Add, I.set(vecEnd), I.get(o), I.get(rowBytes), I.i32Add, I.set(rowEnd));
  fn.emit(VEC.const(0), I.set(sums.get(VEC)!), I.f32(0), I.set(sums.get(SCALAR)!));
  stepLoop(fn, VEC, o, vecEnd, body(VEC));
  stepLoop(fn, SCALAR, o, rowEnd, body(SCALAR));
  // db[t] = Σ lanes + Σ tail
  fn.emit(I.get(DB), I.get(t), I.i32(2), I.i32Shl, I.i32Add, hsum(VEC, sums.get(VEC)!), I.get(sums.get(SCALAR)!), I.f32Add, I.f32Store);
  fn.emit(I.get(t), I.i32(1), I.i32Add, I.set(t), I.br(0), I.end, I.end);
  return fn;
}

/** dW[t][u] += Σ_n gH[t, n]·X[u, n]. Parameters (GH, X, DW, N, CHUNK). */
function dwFn(T: number): Fn {
  const fn = new Fn("dw", 5);
  const [GH, X, DW, N, CHUNK] = [0, 1, 2, 3, 4];
  const rowBytes = fn.local("i32"), vecBytes = fn.local("i32"), c0 = fn.local("i32"), c1 = fn.local("i32");
  const t0 = fn.local("i32"), u0 = fn.local("i32"), o = fn.local("i32"), dwb = fn.local("i32");
  const T4 = T & ~3, T2 = T & ~1;
  /** Tile of R rows of gH (from t0) × C rows of X (from u0) over columns [c0, c1). */
  const tile = (L: Lanes, R: number, C: number): Code[] => {
    const acc = Array.from({ length: R }, () => Array.from({ length: C }, () => fn.local(L.vt)));
    const gRow = Array.from({ length: R }, () => fn.local("i32")), xRow = Array.from({ length: C }, () => fn.local("i32"));
    const xv = Array.from({ length: C }, () => fn.local(L.vt)), gv = fn.local(L.vt);
    const code: Code[] = [];
    for (const row of acc) for (const a of row) code.push(L.const(0), I.set(a));
    gRow.forEach((g, r) => code.push(I.get(GH), I.get(t0), I.i32(r), I.i32Add, I.get(rowBytes), I.i32Mul, I.i32Add, I.set(g)));
    xRow.forEach((x, c) => code.push(I.get(X), I.get(u0), I.i32(c), I.i32Add, I.get(rowBytes), I.i32Mul, I.i32Add, I.set(x)));
    const body: Code[] = [];
    xv.forEach((x, c) => body.push(I.get(xRow[c]!), I.get(o), I.i32Add, L.load, I.set(x)));
    acc.forEach((row, r) => {
      body.push(I.get(gRow[r]!), I.get(o), I.i32Add, L.load, I.set(gv));
      row.forEach((a, c) => body.push(I.get(a), I.get(gv), I.get(xv[c]!), L.mul, L.add, I.set(a)));
    });
    code.push(I.get(c0), I.set(o));
    code.push(I.block, I.loop, I.get(o), I.get(c1), I.i32GeU, I.brIf(1), ...body,
      I.get(o), I.i32(L.step), I.i32Add, I.set(o), I.br(0), I.end, I.end);
    // dW[(t0 + r)·T + u0 + c] += Σ lanes of acc[r][c]
    code.push(I.get(DW), I.get(t0), I.i32(T), I.i32Mul, I.get(u0), I.i32Add, I.i32(2), I.i32Shl, I.i32Add, I.set(dwb));
    acc.forEach((row, r) => row.forEach((a, c) => {
      const off = (r * T + c) * 4;
      code.push(I.get(dwb), I.get(dwb), I.f32LoadAt(off), hsum(L, a), I.f32Add, I.f32StoreAt(off));
    }));
    return code;
  };
  /** Every (t, u) tile over the current column range. */
  const allTiles = (L: Lanes): Code[] => {
    const uTiles = (R: number): Code[] => {
      const code: Code[] = [I.i32(0), I.set(u0)];
      if (T2 > 0) code.push(I.block, I.loop, ...tile(L, R, 2), I.get(u0), I.i32(2), I.i32Add, I.tee(u0), I.i32(T2), I.i32LtU, I.brIf(0), I.end, I.end);
      if (T % 2) code.push(...tile(L, R, 1));
      return code;
    };
    const code: Code[] = [I.i32(0), I.set(t0)];
    if (T4 > 0) code.push(I.block, I.loop, ...uTiles(4), I.get(t0), I.i32(4), I.i32Add, I.tee(t0), I.i32(T4), I.i32LtU, I.brIf(0), I.end, I.end);
    if (T % 4) code.push(...uTiles(T % 4));
    return code;
  };
  fn.emit(I.get(N), I.i32(2), I.i32Shl, I.set(rowBytes));
  fn.emit(I.get(N), I.i32(-4), I.i32And, I.i32(2), I.i32Shl, I.set(vecBytes));
  // for (c0 = 0; c0 < vecBytes; c0 = c1): c1 = min(c0 + CHUNK, vecBytes)
  fn.emit(I.i32(0), I.set(c0));
  fn.emit(I.block, I.loop, I.get(c0), I.get(vecBytes), I.i32GeU, I.brIf(1));
  fn.emit(I.get(c0), I.get(CHUNK), I.i32Add, I.tee(c1), I.get(vecBytes), I.get(c1), I.get(vecBytes), I.i32LtU, I.select, I.set(c1));
  fn.emit(...allTiles(VEC));
  fn.emit(I.get(c1), I.set(c0), I.br(0), I.end, I.end);
  // The N mod 4 tail, scalar.
  fn.emit(I.get(vecBytes), I.set(c0), I.get(rowBytes), I.set(c1));
  fn.emit(I.get(c0), I.get(c1), I.i32LtU, I.if, ...allTiles(SCALAR), I.end);
  return fn;
}

/** The generated PSN kernels for (T, tie, surrogate) on `memory`, or null where unsupported. */
export function psnSimdKernels(memory: WebAssembly.Memory, a: PsnSimdAttrs): PsnSimdExports | null {
  const key = JSON.stringify(["psn", a.T, a.tie, a.sgKind, a.sgParam]);
  return cached(memory, key, () => {
    if (!psnSimdSupports(a.sgKind)) return null;
    const T = a.T;
    return instantiate<PsnSimdExports>(assemble([
      mmFn("fwd", T, T, 1, true, true, a.tie),
      mmFn("dx", T, 1, T, false, false, a.tie),
      ghFn(a),
      dwFn(T),
    ]), memory);
  });
}
