// N-Caltech101 — events-and-parity §1.6, §3.3, §7 item 9; papers §2.4, §3.5.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EventDataError } from "../../../src/lib/data/errors.js";
import { NCaltech101 } from "../../../src/lib/data/datasets/ncaltech101.js";
import { generateNCaltech101 } from "../../../src/lib/data/synthetic.js";
import { tmp } from "../helpers.js";

describe("NCaltech101", async () => {
  const root = tmp();
  await generateNCaltech101(root, { classes: ["BACKGROUND_Google", "accordion", "Faces_easy", "airplanes", "Leopards"], perClass: 20, durationUs: 20_000 });
  it("class order is ASCII (upper-case first) and BACKGROUND_Google is excluded by default", async () => {
    const ds = await NCaltech101.open({ root, split: "all" });
    expect(ds.classes).toEqual(["Faces_easy", "Leopards", "accordion", "airplanes"]);
    const withBg = await NCaltech101.open({ root, split: "all", includeBackground: true });
    expect(withBg.classes[0]).toBe("BACKGROUND_Google");
    expect(ds.sensor).toEqual({ height: 180, width: 240 });
  });
  it("seeded 9:1 per class: 18/2 per class, disjoint", async () => {
    const tr = await NCaltech101.open({ root, train: true, seed: 1 });
    const te = await NCaltech101.open({ root, train: false, seed: 1 });
    expect(tr.samples.length).toBe(72);
    expect(te.samples.length).toBe(8);
    const ids = new Set(tr.samples.map((s) => s.id));
    expect(te.samples.some((s) => ids.has(s.id))).toBe(false);
  });
  it("MPE-PSN rule: the first ⌊0.1·n⌋ files per class are test", async () => {
    const te = await NCaltech101.open({ root, train: false, split: "mpe" });
    expect(te.samples.map((s) => s.id).slice(0, 2)).toEqual(["Faces_easy/image_0001", "Faces_easy/image_0002"]);
    expect(te.samples.length).toBe(8);
  });
  it("events decode on the 240×180 canvas", async () => {
    const ds = await NCaltech101.open({ root, split: "all" });
    const ev = await ds.loadEvents(ds.samples[0]!);
    expect(ev.t.length).toBeGreaterThan(10);
    expect(Math.max(...ev.x)).toBeLessThan(240);
  });
  it("a 0-byte sample file is an EventDataError naming it, not an all-zero sample (issue #20)", async () => {
    const r = tmp();
    await generateNCaltech101(r, { classes: ["accordion"], perClass: 2, durationUs: 5_000 });
    const ds = await NCaltech101.open({ root: r, split: "all" });
    writeFileSync(ds.samples[1]!.file, new Uint8Array(0));
    const e = await ds.loadEvents(ds.samples[1]!).then(() => null, (x: unknown) => x as EventDataError);
    expect(e).toBeInstanceOf(EventDataError);
    expect(e!.message).toBe(`${ds.samples[1]!.file}: at the whole sample: expected at least one event for sample 'accordion/image_0002', found 0 events`);
    expect((await ds.loadEvents(ds.samples[0]!)).t.length).toBeGreaterThan(0);
  });
});
