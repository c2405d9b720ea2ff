// DVS-Lip dataset: layout, targets, word subsets, central event crop, sensor check (synthetic files).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { centerCropEvents, DVS_LIP_CLASSES, DvsLip } from "../../../src/lib/data/datasets/dvs-lip.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { encodeNpyEvents } from "../../../src/lib/data/formats/npy.js";
import { generateDvsLip } from "../../../src/lib/data/synthetic.js";
import { tmp } from "../helpers.js";

describe("DvsLip", () => {
  it("has the 100 words in alphabetical order (targets = sorted folder index)", () => {
    expect(DVS_LIP_CLASSES.length).toBe(100);
    expect([...DVS_LIP_CLASSES]).toEqual([...DVS_LIP_CLASSES].sort());
  });

  it("lists samples by word then file name; words and perWord restrict it", async () => {
    const root = tmp();
    await generateDvsLip(root, { words: ["allow", "accused", "action"], trainPerWord: 3, testPerWord: 1 });
    const all = DvsLip.open({ root, train: true });
    expect(all.classes).toEqual(["accused", "action", "allow"]);
    expect(all.samples.map((s) => s.id).slice(0, 4)).toEqual(["accused/0", "accused/1", "accused/2", "action/0"]);
    const sub = DvsLip.open({ root, train: false, words: ["allow", "accused"] });
    expect(sub.samples.map((s) => [s.id, s.label])).toEqual([["allow/0", 0], ["accused/0", 1]]);
    expect(DvsLip.open({ root, train: true, perWord: 2 }).samples.length).toBe(6);
    expect(() => DvsLip.open({ root, train: true, words: ["young"] })).toThrow(/word 'young' has no folder in .*train/);
    const ev = await all.loadEvents(all.samples[0]!);
    expect(ev.t.length).toBeGreaterThan(100);
    for (let i = 0; i < ev.t.length; i++) expect(ev.x[i]! >= 16 && ev.x[i]! < 112 && ev.y[i]! >= 16 && ev.y[i]! < 112).toBe(true);
  });

  it("crops the central window of the events and shifts it to the origin (the reference's 16 ≤ x, y < 112)", () => {
    const ev = makeEvents({ t: [1, 2, 3, 4, 5], x: [15, 16, 111, 112, 60], y: [50, 16, 111, 50, 15], p: [1, 0, 1, 1, 0] });
    const c = centerCropEvents(ev, { height: 128, width: 128 }, 96);
    expect(Array.from(c.t)).toEqual([2, 3]);
    expect(Array.from(c.x)).toEqual([0, 95]);
    expect(Array.from(c.y)).toEqual([0, 95]);
    expect(Array.from(c.p)).toEqual([0, 1]);
  });

  it("applies the crop when loading and rejects events outside the 128×128 sensor", async () => {
    const root = tmp();
    await generateDvsLip(root, { words: ["accused"], trainPerWord: 1, testPerWord: 1 });
    const ds = DvsLip.open({ root, train: true, centerCrop: 96 });
    expect(ds.sensor).toEqual({ height: 96, width: 96 });
    const ev = await ds.loadEvents(ds.samples[0]!);
    expect(Math.max(...ev.x)).toBeLessThan(96);
    const bad = join(root, "DVS-Lip", "train", "accused", "0.npy");
    writeFileSync(bad, encodeNpyEvents(makeEvents({ t: [0, 1], x: [3, 127], y: [4, 127], p: [0, 1] })));
    await expect(ds.loadEvents(ds.samples[0]!)).resolves.toBeDefined();
    writeFileSync(bad, encodeNpyEvents(makeEvents({ t: [0], x: [3], y: [4], p: [0] }), [{ name: "t", descr: "<i4" }, { name: "x", descr: "<i2" }, { name: "y", descr: "<i2" }, { name: "p", descr: "|i1" }]));
    await expect(ds.loadEvents(ds.samples[0]!)).resolves.toBeDefined();
    writeFileSync(bad, encodeNpyEvents(makeEvents({ t: [0], x: [200], y: [4], p: [0] }), [{ name: "t", descr: "<i4" }, { name: "x", descr: "<i2" }, { name: "y", descr: "<i2" }, { name: "p", descr: "|i1" }]));
    await expect(ds.loadEvents(ds.samples[0]!)).rejects.toThrow(/0\.npy: event 0 at \(x 200, y 4\) is outside the 128×128 DVS-Lip sensor/);
  });
});
