// Batch loader: time-first [T, B, C, H, W], seeded shuffle, deterministic augmentation, prefetch.
import { describe, expect, it } from "vitest";
import { InMemoryFrames } from "../../src/lib/data/cache.js";
import type { Frames } from "../../src/lib/data/frames.js";
import { FrameLoader, stackTimeFirst } from "../../src/lib/data/loader.js";
import { RandomHorizontalFlip } from "../../src/lib/data/transforms/flip.js";

function sample(i: number): Frames {
  // T = 3, C = 2, H = 1, W = 2: value = 100·i + position
  return { data: Float32Array.from({ length: 12 }, (_, k) => 100 * i + k), shape: [3, 2, 1, 2] };
}
const src = new InMemoryFrames(Array.from({ length: 10 }, (_, i) => ({ frames: sample(i), label: i % 3 })));

async function collect(l: FrameLoader, epoch: number) {
  const out: { x: number[]; y: number[]; idx: number[]; shape: number[] }[] = [];
  for await (const b of l.epoch(epoch)) {
    out.push({ x: Array.from(await b.x.data()), y: Array.from(await b.y.data()), idx: b.indices, shape: b.x.shape });
    b.x.dispose(); b.y.dispose();
  }
  return out;
}

describe("FrameLoader", () => {
  it("stacks time-first: x[t, b] = sample_b[t]", () => {
    const st = stackTimeFirst([sample(0), sample(1)]);
    expect(st.shape).toEqual([3, 2, 2, 1, 2]);
    expect([...st.data.subarray(0, 8)]).toEqual([0, 1, 2, 3, 100, 101, 102, 103]);
    expect([...st.data.subarray(8, 12)]).toEqual([4, 5, 6, 7]);
  });
  it("unshuffled: all samples in order, last partial batch unless dropLast", async () => {
    const b = await collect(new FrameLoader(src, { batchSize: 4 }), 0);
    expect(b.map((x) => x.idx)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(b[0]!.shape).toEqual([3, 4, 2, 1, 2]);
    expect(b[0]!.y).toEqual([0, 1, 2, 0]);
    expect((await collect(new FrameLoader(src, { batchSize: 4, dropLast: true }), 0)).length).toBe(2);
  });
  it("seeded shuffle: same seed+epoch → same batches (with or without prefetch); new epoch → new order", async () => {
    const tr = new RandomHorizontalFlip(0.5);
    const a = await collect(new FrameLoader(src, { batchSize: 3, shuffle: true, seed: 5, transform: tr }), 1);
    const b = await collect(new FrameLoader(src, { batchSize: 3, shuffle: true, seed: 5, transform: tr, prefetch: false }), 1);
    expect(a).toEqual(b);
    const c = await collect(new FrameLoader(src, { batchSize: 3, shuffle: true, seed: 5, transform: tr }), 2);
    expect(c.map((x) => x.idx)).not.toEqual(a.map((x) => x.idx));
    expect(a.flatMap((x) => x.idx).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it("rejects mismatched sample shapes and bad batch sizes", async () => {
    const mixed = new InMemoryFrames([{ frames: sample(0), label: 0 }, { frames: { data: new Float32Array(6), shape: [3, 2, 1, 1] }, label: 0 }]);
    await expect(collect(new FrameLoader(mixed, { batchSize: 2 }), 0)).rejects.toThrow(/sample 1 has shape/);
    expect(() => new FrameLoader(src, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });
});

describe("FrameLoader as a trainer BatchSource", () => {
  it("batch(epoch, k) equals the k-th batch of epoch(), in any call order", async () => {
    const frames = Array.from({ length: 10 }, (_, i) => ({ frames: { data: new Float32Array(2 * 2 * 1 * 1).fill(i), shape: [2, 2, 1, 1] as [number, number, number, number] }, label: i % 3 }));
    const source = { length: frames.length, get: async (i: number) => frames[i]! };
    const loader = new FrameLoader(source as never, { batchSize: 3, shuffle: true, seed: 4, dropLast: true });
    const seq: number[][] = [];
    for await (const b of loader.epoch(1)) { seq.push(Array.from(b.y.dataSync())); b.x.dispose(); b.y.dispose(); }
    expect(loader.batchesPerEpoch()).toBe(3);
    for (const k of [2, 0, 1, 2]) {
      const b = await loader.batch(1, k);
      expect(Array.from(b.labels)).toEqual(seq[k]);
      b.x.dispose();
    }
    await expect(loader.batch(1, 3)).rejects.toThrow(/index 3 outside \[0, 3\)/);
  });
});
