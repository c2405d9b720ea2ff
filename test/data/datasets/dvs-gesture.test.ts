// DVS128 Gesture dataset — events-and-parity §1.6, §3.1 item 5, §7 item 8.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spikingjellyStringSortedTargets } from "../../../src/lib/data/datasets/common.js";
import { DvsGesture, parseGestureLabels } from "../../../src/lib/data/datasets/dvs-gesture.js";
import { EventDataError, TextFileError } from "../../../src/lib/data/errors.js";
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
    expect(() => parseGestureLabels("class,startTime_usec,endTime_usec\n1,2\n", "u_labels.csv")).toThrow(/u_labels\.csv: at line 2/);
    expect(() => parseGestureLabels("class,startTime_usec,endTime_usec\n12,2,3\n", "u_labels.csv")).toThrow(/u_labels\.csv: at line 2: expected a class in 1\.\.11, found 12/);
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
  describe("labels CSV validation and empty windows (issue #20)", () => {
    const H = "class,startTime_usec,endTime_usec";
    const cases: [string, string, RegExp][] = [
      ["an empty field (Number('') is 0)", `${H}\n1,,5\n`, /^line 2: expected 'class,startTime_usec,endTime_usec' as three decimal integers, found '1,,5'$/],
      ["a hex time", `${H}\n1,0x10,50\n`, /^line 2: expected .* three decimal integers, found '1,0x10,50'$/],
      ["an exponent time", `${H}\n1,1e3,5000\n`, /^line 2: expected .* three decimal integers, found '1,1e3,5000'$/],
      ["a negative time", `${H}\n1,-5,10\n`, /^line 2: expected .* three decimal integers/],
      ["a fractional time", `${H}\n1,5.5,10\n`, /^line 2: expected .* three decimal integers/],
      ["end < start", `${H}\n1,100,50\n`, /^line 2: expected endTime_usec > startTime_usec \(a non-empty window\), found start 100, end 50$/],
      ["end == start", `${H}\r\n2,10,20\r\n1,50,50\r\n`, /^line 3: expected endTime_usec > startTime_usec/],
      ["overlapping windows", `${H}\n1,0,100\n2,200,300\n3,250,400\n`, /^line 4: expected a window that starts at or after the end of the window on line 3 \(300\), found \[250, 400\), which overlaps \[200, 300\)$/],
      ["no header row (it used to drop the first gesture)", "1,0,100\n2,100,200\n", /^line 1: expected the header row 'class,startTime_usec,endTime_usec', found '1,0,100'$/],
      ["a header-only file (it used to build a cache of 0 samples)", `${H}\r\n`, /^line 2: expected at least one gesture row after the header, found none$/],
      ["an empty file", "", /^line 1: expected the header row .*, found an empty file$/],
      ["a time beyond 2^53", `${H}\n1,0,99999999999999999999\n`, /^line 2: expected times below 2\^53 µs/],
    ];
    for (const [what, text, msg] of cases) {
      it(`${what} → TextFileError naming file and line`, () => {
        let e: unknown = null;
        try { parseGestureLabels(text, "u_labels.csv"); } catch (x) { e = x; }
        expect(e).toBeInstanceOf(TextFileError);
        expect((e as Error).message.startsWith("u_labels.csv: at ")).toBe(true);
        expect((e as Error).message.slice("u_labels.csv: at ".length)).toMatch(msg);
      });
    }
    it("valid rows parse with their lines (BOM, CRLF, blank lines, trailing spaces, repeated classes)", () => {
      expect(parseGestureLabels(`\uFEFF${H}\r\n\r\n3, 1 ,5\r\n3,5,7 \r\n`, "u")).toEqual([
        { cls: 3, start: 1, end: 5, line: 3 }, { cls: 3, start: 5, end: 7, line: 4 }]);
    });
    it("a window outside the recording, or holding no event, is an error naming the CSV line, read from files", async () => {
      const root = handmade();
      const dir = join(root, "DvsGesture");
      const csv = join(dir, "user01_led_labels.csv");
      // events are at t = 0..9 and 2^31 + 3: [20, 30) lies inside the recording but holds nothing; 2^32 starts after it
      writeFileSync(csv, `${H}\r\n3,1,5\r\n4,20,30\r\n5,4294967296,4294967300\r\n`);
      const ds = await DvsGesture.open({ root, train: true });
      expect((await ds.loadEvents(ds.samples[0]!)).t.length).toBe(4);
      const empty = await ds.loadEvents(ds.samples[1]!).then(() => null, (x: unknown) => x as EventDataError);
      expect(empty).toBeInstanceOf(EventDataError);
      expect(empty!.message).toBe(`${join(dir, "user01_led.aedat")} [20, 30) µs: at the whole sample: expected at least one event for sample 'user01_led_3_0' (label from ${csv}: line 3), found 0 events`);
      const outside = await ds.loadEvents(ds.samples[2]!).then(() => null, (x: unknown) => x as TextFileError);
      expect(outside).toBeInstanceOf(TextFileError);
      expect(outside!.message).toBe(`${csv}: at line 4: expected a window overlapping the recording ${join(dir, "user01_led.aedat")} (events from 0 to 2147483651 µs), found [4294967296, 4294967300)`);
    });
    it("the synthetic release passes the validation, every window holding events", async () => {
      const root = tmp();
      await generateDvsGesture(root, { trainUsers: [1], testUsers: [], classes: [1, 2, 3, 11] });
      const ds = await DvsGesture.open({ root, train: true });
      expect(ds.samples.length).toBe(4);
      for (const ref of ds.samples) expect((await ds.loadEvents(ref)).t.length).toBeGreaterThan(0);
    });
  });
});
