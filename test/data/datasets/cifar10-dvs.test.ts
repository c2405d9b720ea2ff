// CIFAR10-DVS dataset splits — events-and-parity §1.6, §7 item 7; papers §2.4, §3.5.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Cifar10Dvs, CIFAR10_DVS_CLASSES } from "../../../src/lib/data/datasets/cifar10-dvs.js";
import { EventDataError } from "../../../src/lib/data/errors.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { writeAedat2 } from "../../../src/lib/data/formats/aedat2.js";
import { generateCifar10Dvs } from "../../../src/lib/data/synthetic.js";
import { tmp } from "../helpers.js";

/** Tiny empty-ish files: 120 per class (enough for the 0–99 rule), one event each. */
function layout(n = 120): string {
  const root = tmp();
  const bytes = writeAedat2(makeEvents({ t: [1], x: [2], y: [3], p: [1] }));
  for (const c of CIFAR10_DVS_CLASSES) {
    mkdirSync(join(root, c));
    for (let i = 0; i < n; i++) writeFileSync(join(root, c, `cifar10_${c}_${i}.aedat`), bytes);
  }
  return root;
}

describe("Cifar10Dvs", () => {
  const root = layout();
  it("TEBN split: files 0–99 of each class are test, the rest train; classes airplane = 0 … truck = 9", async () => {
    const te = await Cifar10Dvs.open({ root, train: false, split: "tebn" });
    const tr = await Cifar10Dvs.open({ root, train: true, split: "tebn" });
    expect(te.samples.length).toBe(1000);
    expect(tr.samples.length).toBe(200);
    expect(te.samples[0]!.id).toBe("airplane/cifar10_airplane_0");
    expect(te.samples[999]!.id).toBe("truck/cifar10_truck_99");
    expect(tr.samples[0]!.id).toBe("airplane/cifar10_airplane_100");
    expect(new Set(te.samples.map((s) => s.label))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });
  it("seeded 9:1 split: disjoint, complete, per-class 108/12, reproducible, seed-dependent", async () => {
    const a = await Cifar10Dvs.open({ root, train: true, split: "seeded", seed: 7 });
    const b = await Cifar10Dvs.open({ root, train: false, split: "seeded", seed: 7 });
    expect(a.samples.length).toBe(1080);
    expect(b.samples.length).toBe(120);
    const ids = new Set(a.samples.map((s) => s.id));
    expect(b.samples.every((s) => !ids.has(s.id))).toBe(true);
    const again = await Cifar10Dvs.open({ root, train: false, split: "seeded", seed: 7 });
    expect(again.samples.map((s) => s.id)).toEqual(b.samples.map((s) => s.id));
    const other = await Cifar10Dvs.open({ root, train: false, split: "seeded", seed: 8 });
    expect(other.samples.map((s) => s.id)).not.toEqual(b.samples.map((s) => s.id));
    expect(a.split).toBe("seeded-7-train");
  });
  it("lexicographic split (SJ split_to_train_test_set without shuffle): string order, ⌈0.9·n⌉ train", async () => {
    const tr = await Cifar10Dvs.open({ root, train: true, split: "lexicographic" });
    expect(tr.samples.length).toBe(1080);
    const first = tr.samples.slice(0, 4).map((s) => s.id.split("_").pop());
    expect(first).toEqual(["0", "1", "10", "100"]);
  });
  it("split list file", async () => {
    const f = join(tmp(), "split.json");
    writeFileSync(f, JSON.stringify({ train: ["bird/cifar10_bird_3.aedat"], test: ["cat/cifar10_cat_1.aedat", "cat/cifar10_cat_2.aedat"] }));
    const te = await Cifar10Dvs.open({ root, train: false, split: "list", splitList: f });
    expect(te.samples.map((s) => [s.id, s.label])).toEqual([["cat/cifar10_cat_1", 3], ["cat/cifar10_cat_2", 3]]);
    writeFileSync(f, "{nope");
    await expect(Cifar10Dvs.open({ root, split: "list", splitList: f })).rejects.toThrow(/split\.json: split list is not valid JSON/);
  });
  it("decodes with the chosen orientation", async () => {
    const ds = await Cifar10Dvs.open({ root, split: "all", orientation: "raw" });
    const ev = await ds.loadEvents(ds.samples[0]!);
    expect([ev.x[0], ev.y[0], ev.p[0]]).toEqual([124, 125, 0]); // written SJ-oriented (2,3,1) → raw (127−3, 127−2, 0)
  });
  it("a missing class folder is named", async () => {
    await expect(Cifar10Dvs.open({ root: tmp() })).rejects.toThrow(/airplane is missing/);
  });
  describe("missing classes and empty samples (issue #20)", () => {
    it("an empty class folder is an error naming it, unless allowMissingClasses; class indices stay fixed", async () => {
      const r = tmp();
      await generateCifar10Dvs(r, { perClass: 1, durationUs: 5_000 });
      rmSync(join(r, "cat", "cifar10_cat_0.aedat"));
      await expect(Cifar10Dvs.open({ root: r, split: "all" })).rejects.toThrow(
        `Cifar10Dvs: class folder ${join(r, "cat")} holds no .aedat file; expected <root>/<class>/cifar10_<class>_<i>.aedat for all 10 classes (pass allowMissingClasses: true to go without it)`);
      const ds = await Cifar10Dvs.open({ root: r, split: "all", allowMissingClasses: true });
      expect(ds.samples.map((x) => x.label)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
      rmSync(join(r, "dog"), { recursive: true });
      await expect(Cifar10Dvs.open({ root: r, split: "all" })).rejects.toThrow(/class folder .*cat holds no \.aedat file/);
      expect((await Cifar10Dvs.open({ root: r, split: "all", allowMissingClasses: true })).samples.length).toBe(8);
    });
    it("a 0-byte or header-only sample file is an EventDataError naming it", async () => {
      const r = tmp();
      await generateCifar10Dvs(r, { perClass: 1, durationUs: 5_000 });
      writeFileSync(join(r, "bird", "cifar10_bird_0.aedat"), writeAedat2(makeEvents({ t: [], x: [], y: [], p: [] })));
      writeFileSync(join(r, "frog", "cifar10_frog_0.aedat"), new Uint8Array(0));
      const ds = await Cifar10Dvs.open({ root: r, split: "all" });
      for (const c of ["bird", "frog"]) {
        const ref = ds.samples.find((x) => x.id === join(c, `cifar10_${c}_0`))!;
        const e = await ds.loadEvents(ref).then(() => null, (x: unknown) => x as EventDataError);
        expect(e).toBeInstanceOf(EventDataError);
        expect(e!.message).toBe(`${ref.file}: at the whole sample: expected at least one event for sample '${ref.id}', found 0 events`);
      }
      expect((await ds.loadEvents(ds.samples[0]!)).t.length).toBeGreaterThan(0);
    });
  });
});
