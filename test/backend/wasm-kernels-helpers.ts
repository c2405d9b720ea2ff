/** Helpers for the wasm-kernel tests: run the same computation on two backends and compare. */
import { currentBackend, tf, useBackend, type BackendRung } from "../../src/lib/backend/index.js";

/** Run `f` on `rung`, then switch back to the backend that was active before. */
export async function onBackend<T>(rung: BackendRung, f: () => T): Promise<T> {
  const before = currentBackend()?.rung ?? "wasm";
  await useBackend(rung, { log: false });
  try {
    return f();
  } finally {
    await useBackend(before, { log: false });
  }
}

/** A computation's outputs as plain arrays with their shapes (read outside any tidy, toolchain §7.4). */
export interface Out { shape: number[]; values: Float32Array }

export function read(ts: tf.Tensor | tf.Tensor[]): Out[] {
  const list = Array.isArray(ts) ? ts : [ts];
  const out = list.map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync()) }));
  for (const t of list) t.dispose();
  return out;
}

/** max |a − b| / max(max |b|, 1e-6): the error relative to the reference's scale. */
export function relErr(a: Out, b: Out): number {
  if (a.shape.join() !== b.shape.join()) return Infinity;
  let num = 0;
  let den = 1e-6;
  for (let i = 0; i < b.values.length; i++) {
    num = Math.max(num, Math.abs(a.values[i]! - b.values[i]!));
    den = Math.max(den, Math.abs(b.values[i]!));
  }
  return Number.isNaN(num) ? Infinity : num / den;
}

/** Seeded standard-normal values (independent of the backend). */
export function normal(shape: number[], seed: number): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/**
 * Compute every case on cpu (the reference) and on wasm, and list the cases whose outputs differ
 * by more than `tol` relative error (an empty list means all pass).
 */
export async function compareBackends<C>(cases: C[], f: (c: C) => tf.Tensor | tf.Tensor[], label: (c: C) => string,
  tol = 1e-4): Promise<{ failures: string[]; worst: number }> {
  const ref = await onBackend("cpu", () => cases.map((c) => read(f(c))));
  const got = await onBackend("wasm", () => cases.map((c) => read(f(c))));
  const failures: string[] = [];
  let worst = 0;
  cases.forEach((c, i) => {
    ref[i]!.forEach((r, j) => {
      const e = relErr(got[i]![j]!, r);
      worst = Math.max(worst, e);
      if (!(e <= tol)) failures.push(`${label(c)} output ${j}: rel err ${e.toExponential(2)} (shapes ${got[i]![j]!.shape} vs ${r.shape})`);
    });
  });
  return { failures, worst };
}

/** A conv kernel test case: input [B, H, W, ci], filter [kh, kw, ci, co], strides s and TF.js's padding forms. */
export type ConvPad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
export interface ConvCase { B: number; H: number; W: number; ci: number; co: number; kh: number; kw: number; s: [number, number]; pad: ConvPad }

/** Cases every conv-gradient kernel test runs: 3×3 same at strides 1 and 2, 1×1 valid, 5×3 valid at [2, 1], a number pad. */
export const BASE_CONV_CASES: readonly ConvCase[] = [
  { B: 2, H: 7, W: 9, ci: 3, co: 5, kh: 3, kw: 3, s: [1, 1], pad: "same" },
  { B: 1, H: 8, W: 8, ci: 4, co: 8, kh: 3, kw: 3, s: [2, 2], pad: "same" },
  { B: 3, H: 6, W: 5, ci: 9, co: 12, kh: 1, kw: 1, s: [1, 1], pad: "valid" },
  { B: 2, H: 9, W: 7, ci: 5, co: 13, kh: 5, kw: 3, s: [2, 1], pad: "valid" },
  { B: 1, H: 5, W: 5, ci: 8, co: 4, kh: 3, kw: 3, s: [1, 1], pad: 2 },
];
