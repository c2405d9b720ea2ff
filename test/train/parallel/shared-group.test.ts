import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { abortSharedGroup, createSharedGroup } from "../../../src/lib/train/parallel/shared-group.js";
import { startThread } from "../../../src/lib/train/parallel/thread.js";

const entry = pathToFileURL(join(__dirname, "fixtures", "group-worker.ts")).href;
const firstMessage = (w: import("node:worker_threads").Worker) => new Promise<{ type: string; totals?: number[][] }>((resolve, reject) => {
  w.once("message", resolve);
  w.once("error", reject);
});

describe("SharedGroup — barrier and all-reduce over shared memory", () => {
  it("3 threads, 6 rounds of a vector longer than a slot: every thread gets the exact sum each round", async () => {
    const parties = 3, rounds = 6, length = 23;
    const layout = createSharedGroup(4, 8); // 4 slots (one unused), chunks of 8
    const threads = Array.from({ length: parties }, (_, rank) => startThread(entry, { layout, rank, parties, rounds, length }));
    try {
      const answers = await Promise.all(threads.map(firstMessage));
      const expected = Array.from({ length: rounds }, (_, r) => Array.from({ length }, (_, i) => 6 * 1000 * r + 6 * i)); // Σ (rank + 1) = 6
      for (const a of answers) expect(a.totals).toEqual(expected);
    } finally {
      await Promise.all(threads.map((w) => w.terminate()));
    }
  });

  it("a party waiting for a peer that never comes throws once the group is aborted", async () => {
    const layout = createSharedGroup(2);
    const w = startThread(entry, { layout, rank: 0, parties: 2, rounds: 0, length: 0, waitForever: true });
    try {
      expect((await firstMessage(w)).type).toBe("waiting");
      const next = firstMessage(w);
      await new Promise((r) => setTimeout(r, 100));
      abortSharedGroup(layout);
      expect((await next).type).toBe("aborted");
    } finally {
      await w.terminate();
    }
  });

  it("refuses impossible layouts and party counts", () => {
    expect(() => createSharedGroup(0)).toThrow(/workers must be a positive integer, got 0/);
  });
});
