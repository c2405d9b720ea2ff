// Running one computation on cpu (the reference) and on webgpu, reading back asynchronously (webgpu
// in Node has no synchronous read). A computation builds its tensors from plain arrays, so nothing
// crosses backends.
import { tf } from "../../src/lib/backend/index.js";

export interface Out { shape: number[]; values: Float32Array }

/** Run `f` on `backend`, read its outputs with `await data()`, dispose them, and return to webgpu. */
export async function runOn(backend: "cpu" | "webgpu", f: () => tf.Tensor | tf.Tensor[]): Promise<Out[]> {
  await tf.setBackend(backend);
  (tf.backend() as { firstUse?: boolean }).firstUse = false; // the cpu backend's "install tfjs-node" banner
  try {
    const made = tf.tidy(f);
    const list = Array.isArray(made) ? made : [made];
    const out = await Promise.all(list.map(async (t) => ({ shape: t.shape.slice(), values: Float32Array.from(await t.data()) })));
    tf.dispose(list);
    return out;
  } finally {
    await tf.setBackend("webgpu");
  }
}

/** max |a − b| ≤ rtol·max |b| + atol, per output; returns readable failures. */
export function mismatches(label: string, got: Out[], want: Out[], rtol: number, atol = 0): string[] {
  const bad: string[] = [];
  want.forEach((w, i) => {
    const g = got[i];
    if (!g || g.shape.join() !== w.shape.join()) { bad.push(`${label} #${i}: shape [${g?.shape}] vs [${w.shape}]`); return; }
    let diff = 0, scale = 0;
    for (let j = 0; j < w.values.length; j++) {
      const d = Math.abs(g.values[j]! - w.values[j]!);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
      scale = Math.max(scale, Math.abs(w.values[j]!));
    }
    if (!(diff <= rtol * scale + atol)) bad.push(`${label} #${i} [${w.shape}]: max |Δ| ${diff.toExponential(2)} > ${rtol}·${scale.toExponential(2)} + ${atol}`);
  });
  return bad;
}

/** Seeded standard-normal values (independent of the backend). */
export function normal(shape: number[], seed: number, scale = 1, shift = 0): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = shift + scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}
