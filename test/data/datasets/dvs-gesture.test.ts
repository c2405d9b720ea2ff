// DVS128 Gesture dataset — events-and-parity §1.6, §3.1 item 5, §7 item 8.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spikingjellyStringSortedTargets } from "../../../src/lib/data/datasets/common.js";
import { DvsGesture, parseGestureLabels } from "../../../src/lib/data/datasets/dvs-gesture.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { writeAedat3 } from "../../../src/lib/data/formats/aedat3.js";
import { generateDvsGesture } from "../../../src/lib/data/synthetic.js";
import { tmp } from "../helpers.js";

function handmade(): string {
  const root = tmp();
  const dir = join(root, "DvsGesture");
  mkdirSync(dir);
  // events at t = 0..9 (x = t); one more at exactly 2^31 + 3 to cross the overflow
  const ev = makeEvents({ t: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2 ** 31 + 3], x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], y: Array(11).fill(0), p: Array(11).fill(1) });
  writeFileSync(join(dir, "user01_led.aedat"), writeAedat3(ev, { packetEvents: 3 }));
  // class 3 twice (repeat), an interval ending exactly at an event (t = 5 excluded), class 11
  writeFileSync(join(dir, "user01_led_labels.csv"), "class,startTime_usec,endTime_usec\r\n3,1,5\r\n3,5,7\r\n11,8,2147483652\r\n");
  writeFileSync(join(dir, "user24_led.aedat"), writeAedat3(ev));
  writeFileSync(join(dir, "user24_led_labels.csv"), "class,startTime_usec,endTime_usec\n10,0,3\n");
  writeFileSync(join(dir, "trials_to_train.txt"), "user01_led.aedat\n");
  writeFileSync(join(dir, "trials_to_test.txt"), "user24_led.aedat\n");
  return root;
}

describe("DvsGesture", () => {
  it("slices start ≤ t < end (event at end excluded), numbers repeated classes, targets = class − 1", async () => {
    const ds = await DvsGesture.open({ root: handmade(), train: true });
    expect(ds.samples.map((s) => s.id)).toEqual(["user01_led_2_0", "user01_led_2_1", "user01_led_10_0"]);
    expect(ds.samples.map((s) => s.label)).toEqual([2, 2, 10]);
    const a = await ds.loadEvents(ds.samples[0]!);
    expect([...a.t]).toEqual([1, 2, 3, 4]); // t = 5 is at endTime → excluded
    const b = await ds.loadEvents(ds.samples[1]!);
    expect([...b.t]).toEqual([5, 6]);
    const c = await ds.loadEvents(ds.samples[2]!);
    expect([...c.t]).toEqual([8, 9, 2 ** 31 + 3]);
  });
  it("test split and SpikingJelly's string-sorted targets ('10' → 2)", async () => {
    const root = handmade();
    const test = await DvsGesture.open({ root, train: false, labelOrder: "spikingjelly" });
    expect(test.samples.map((s) => s.label)).toEqual([10]); // csv class 10 → folder "9" → string-sorted index 10
    expect(spikingjellyStringSortedTargets(11)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 2]);
  });
  it("labels CSV errors name file and line", () => {
    expect(() => parseGestureLabels("class,start,end\n1,2\n", "u_labels.csv")).toThrow(/u_labels\.csv: line 2/);
    expect(() => parseGestureLabels("class,start,end\n12,2,3\n", "u_labels.csv")).toThrow(/class must be in 1\.\.11/);
  });
  it("missing layout is reported with the expected folder", async () => {
    await expect(DvsGesture.open({ root: tmp(), train: true })).rejects.toThrow(/trials_to_train\.txt/);
  });
  it("synthetic publisher layout: split sizes = files × gestures", async () => {
    const root = tmp();
    const counts = await generateDvsGesture(root, { trainUsers: [1, 2], testUsers: [24], lights: ["led", "natural"], classes: [1, 2, 3] });
    expect(counts).toEqual({ train: 12, test: 6 });
    const tr = await DvsGesture.open({ root, train: true });
    const te = await DvsGesture.open({ root, train: false });
    expect(tr.samples.length).toBe(12);
    expect(te.samples.length).toBe(6);
    const ev = await tr.loadEvents(tr.samples[0]!);
    expect(ev.t.length).toBeGreaterThan(50);
    expect(ev.t[0]).toBeGreaterThanOrEqual(2 ** 31); // 64-bit timestamps through the overflow field
  });
});
