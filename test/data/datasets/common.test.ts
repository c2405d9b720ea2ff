// Dataset plumbing: SJ string-sorted targets (§1.6), split lists, fingerprints, sample frames.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseSplitList, sampleFrames, sourceFingerprint, spikingjellyStringSortedTargets,
} from "../../../src/lib/data/datasets/common.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { frameSums } from "../../../src/lib/data/frames.js";
import { tmp } from "../helpers.js";

describe("datasets/common", () => {
  it("string-sorted targets: '0','1','10','2',… (folder 10 → 2, folder 2 → 3)", () => {
    const m = spikingjellyStringSortedTargets(11);
    expect(m[10]).toBe(2);
    expect(m[2]).toBe(3);
    expect(m[9]).toBe(10);
    expect(spikingjellyStringSortedTargets(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it("split list validation names the file", () => {
    expect(parseSplitList('{"train":["a"],"test":[]}', "s.json")).toEqual({ train: ["a"], test: [] });
    expect(() => parseSplitList('{"train":[1],"test":[]}', "s.json")).toThrow(/s\.json: split list must have string arrays/);
  });
  it("source fingerprint depends on relative paths and sizes", () => {
    const d = tmp();
    const a = join(d, "a.bin");
    writeFileSync(a, "12345");
    const f1 = sourceFingerprint(d, [a]);
    writeFileSync(a, "123456");
    expect(sourceFingerprint(d, [a])).not.toBe(f1);
  });
  it("sampleFrames integrates on the sensor canvas, then resizes (a plain bilinear 2× shrink averages 2×2 blocks)", () => {
    const ev = makeEvents({ t: [0, 1, 2, 3], x: [0, 1, 2, 3], y: [0, 1, 2, 3], p: [0, 1, 0, 1] });
    const f = sampleFrames(ev, { height: 4, width: 4 }, { frames: 2, splitBy: "number" });
    expect(f.shape).toEqual([2, 2, 4, 4]);
    expect(frameSums(f)).toEqual([2, 2]);
    const g = sampleFrames(ev, { height: 4, width: 4 }, { frames: 2, resize: [2, 2], antialias: false });
    expect(g.shape).toEqual([2, 2, 2, 2]);
    expect(frameSums(g).map((s) => s * 4)).toEqual([2, 2]); // averaging 2×2 blocks: sum / 4
  });
});
