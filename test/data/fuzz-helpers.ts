/**
 * A seeded mutation fuzzer for the hardening tests (issue #20): each case is a valid input written by the
 * project's own writers, changed by one or a few mutations drawn from a seeded {@link Rng}, so a failure
 * names its seed and case number and replays exactly.
 */
import { Rng } from "../../src/lib/util/random.js";

/** Values that tend to break field arithmetic: zero, one, sign and overflow edges. */
export const EDGE_U32 = [0, 1, 2, 7, 8, 0x7f, 0xff, 0x7fff, 0x8000, 0xffff, 2 ** 22 - 1, 2 ** 22, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

export type ByteMutation = "truncate" | "flip" | "insert" | "delete" | "overwrite";
export const BYTE_MUTATIONS: readonly ByteMutation[] = ["truncate", "flip", "insert", "delete", "overwrite"];

/** One byte-level mutation of `b` (a new array); `lo` keeps the first bytes untouched when asked (e.g. a length prefix). */
export function mutateBytes(b: Uint8Array, kind: ByteMutation, rng: Rng, lo = 0): Uint8Array {
  const at = lo + rng.int(Math.max(1, b.length - lo));
  switch (kind) {
    case "truncate": return b.slice(0, at);
    case "flip": {
      const c = b.slice();
      const n = 1 + rng.int(4);
      for (let i = 0; i < n && c.length > 0; i++) { const k = lo + rng.int(Math.max(1, c.length - lo)); c[k]! ^= 1 << rng.int(8); }
      return c;
    }
    case "insert": {
      const ins = Uint8Array.from({ length: 1 + rng.int(12) }, () => rng.int(256));
      const c = new Uint8Array(b.length + ins.length);
      c.set(b.subarray(0, at)); c.set(ins, at); c.set(b.subarray(at), at + ins.length);
      return c;
    }
    case "delete": {
      const a = Math.min(at, b.length);
      const n = Math.min(1 + rng.int(12), b.length - a);
      const c = new Uint8Array(b.length - n);
      c.set(b.subarray(0, a)); c.set(b.subarray(a + n), a);
      return c;
    }
    case "overwrite": {
      const c = b.slice();
      if (c.length >= 4) new DataView(c.buffer).setUint32(Math.min(at, c.length - 4), pick(EDGE_U32, rng), rng.int(2) === 0);
      return c;
    }
  }
}

export function pick<T>(a: readonly T[], rng: Rng): T {
  return a[rng.int(a.length)]!;
}

/** Tally of outcome classes, so a test can assert that each class was actually reached. */
export class Outcomes {
  readonly counts = new Map<string, number>();
  add(kind: string): void { this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1); }
  get(kind: string): number { return this.counts.get(kind) ?? 0; }
}
