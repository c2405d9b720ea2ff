// Seeded mutation fuzz of safetensors headers (issue #20): every mutated file either decodes to tensors that
// are consistent (supported dtype, integer shape, data length = element count) or fails with a
// SafetensorsError naming the file — never a TypeError/RangeError or garbage that loads silently.
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "../../src/lib/util/safetensors.js";
import { Rng } from "../../src/lib/util/random.js";
import { BYTE_MUTATIONS, mutateBytes, Outcomes, pick } from "../data/fuzz-helpers.js";
import { headerOf, withHeader } from "./safetensors-helpers.js";

const CASES = 300;
/** JSON values that break a naive reader: wrong types, negative/fractional/huge numbers, inherited names. */
const ODD: unknown[] = [null, [], {}, "3", "F32", "I32", "U8", "F16", "toString", "__proto__", "constructor", -1, 0, 1, 1.5, 2 ** 53, 1e300,
  [0], [1, 0], [-4, 8], [0, 7], [0, 2 ** 60], [3], ["3"], [2, -2], [0.5], true, { a: 1 }];

function model(rng: Rng): Uint8Array {
  const tensors: Parameters<typeof encodeSafetensors>[0] = {};
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) {
    const shape = Array.from({ length: rng.int(3) }, () => 1 + rng.int(3));
    const count = shape.reduce((a, b) => a * b, 1);
    const dtype = pick(["F32", "I32", "U8"] as const, rng);
    const data = dtype === "F32" ? new Float32Array(count).fill(1.5) : dtype === "I32" ? new Int32Array(count).fill(-3) : new Uint8Array(count).fill(7);
    tensors[`layer${i}.weight`] = { dtype, shape, data };
  }
  return encodeSafetensors(tensors, rng.int(2) ? { arch: "fuzz" } : {});
}

/** One structural edit of the header: a field, a tensor entry or the whole header replaced or removed. */
function editHeader(bytes: Uint8Array, rng: Rng): Uint8Array {
  const h = headerOf(bytes) as Record<string, unknown>;
  const names = Object.keys(h);
  const name = pick(names, rng);
  const r = rng.int(10);
  if (r === 0) return withHeader(bytes, pick(ODD, rng));
  if (r === 1) { h[name] = pick(ODD, rng); return withHeader(bytes, h); }
  if (r === 2) { delete h[name]; return withHeader(bytes, h); }
  if (r === 3) { h.__metadata__ = pick(ODD, rng); return withHeader(bytes, h); }
  const info = h[name];
  if (typeof info !== "object" || info === null || Array.isArray(info)) return withHeader(bytes, h);
  const o = info as Record<string, unknown>;
  const field = pick(["dtype", "shape", "data_offsets", "extra"], rng);
  if (rng.int(5) === 0) delete o[field]; else o[field] = pick(ODD, rng);
  return withHeader(bytes, h);
}

describe("seeded mutation fuzz of safetensors headers (issue #20)", () => {
  it(`${CASES} mutated files → consistent tensors or a SafetensorsError naming the file`, () => {
    const rng = new Rng(20_020);
    const seen = new Outcomes();
    for (let k = 0; k < CASES; k++) {
      let bytes = model(rng);
      const kinds: string[] = [];
      for (let m = 1 + rng.int(2); m > 0; m--) {
        if (rng.int(3) > 0) { kinds.push("header"); try { bytes = editHeader(bytes, rng); } catch { kinds.push("(unparsable, skipped)"); } }
        else { const kind = pick(BYTE_MUTATIONS, rng); kinds.push(kind); bytes = mutateBytes(bytes, kind, rng); }
      }
      const label = `seed 20020 case ${k} (${kinds.join("+")})`;
      let out: ReturnType<typeof decodeSafetensors>;
      try {
        out = decodeSafetensors(bytes, "fuzz.safetensors");
      } catch (e) {
        if (!(e instanceof SafetensorsError)) throw new Error(`${label}: ${String(e)}`);
        expect(e.file, label).toBe("fuzz.safetensors");
        expect(e.message.startsWith("fuzz.safetensors: at byte "), label).toBe(true);
        seen.add("SafetensorsError");
        continue;
      }
      let total = 0;
      for (const [name, t] of Object.entries(out.tensors)) {
        expect(["F32", "I32", "U8"], `${label} '${name}'`).toContain(t.dtype);
        expect(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0), label).toBe(true);
        expect(t.data.length, `${label} '${name}'`).toBe(t.shape.reduce((a, b) => a * b, 1));
        expect(t.data.constructor.name, label).toBe({ F32: "Float32Array", I32: "Int32Array", U8: "Uint8Array" }[t.dtype]);
        total += t.data.byteLength;
      }
      expect(total, label).toBeLessThanOrEqual(bytes.length);
      expect(Object.values(out.metadata).every((v) => typeof v === "string"), label).toBe(true);
      seen.add("decoded");
    }
    expect(seen.get("SafetensorsError")).toBeGreaterThan(50);
    expect(seen.get("decoded")).toBeGreaterThan(5);
  });
});
