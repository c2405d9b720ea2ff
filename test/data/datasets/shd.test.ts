import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readShdFile, writeShdFile, SHD_CLASSES } from "../../../src/lib/data/datasets/shd.js";
import { syntheticShdSamples } from "../../../src/lib/data/synthetic-shd.js";

const FIX = join("test", "data", "fixtures", "shd");
// The values make_fixtures.py wrote (dyadic, so exact in float16 and float32).
const TIMES = [[0, 0.0078125, 0.5, 0.75], [0.25, 0.25, 1.0], [0.125]];
const UNITS = [[0, 699, 12, 13], [5, 6, 350], [42]];
const tmp = mkdtempSync(join(tmpdir(), "shd-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("readShdFile on h5py-written fixtures", () => {
  for (const dtype of ["f16", "f32"]) {
    it(`reads times (${dtype}), units, labels, speakers, keys and meta_info`, async () => {
      const s = await readShdFile(join(FIX, `shd-${dtype}.h5`));
      expect(s.samples.map((e) => Array.from(e.times))).toEqual(TIMES);
      expect(s.samples.map((e) => Array.from(e.units))).toEqual(UNITS);
      expect(Array.from(s.labels)).toEqual([3, 19, 0]);
      expect(Array.from(s.speakers)).toEqual([1, 4, 11]);
      expect(s.keys).toHaveLength(20);
      expect(s.keys[0]).toBe("english-0");
      expect(s.keys[19]).toBe("german-9");
      expect(s.meta).toEqual({ gender: ["female", "male"], age: [29, 31], bodyHeight: [168, 181] });
    });
  }

  it("reads a prefix with limit and across small read blocks", async () => {
    const s = await readShdFile(join(FIX, "shd-f16.h5"), { limit: 2, block: 1 });
    expect(s.samples.map((e) => Array.from(e.units))).toEqual(UNITS.slice(0, 2));
    expect(Array.from(s.labels)).toEqual([3, 19]);
  });

  const bad: [string, RegExp][] = [
    ["shd-f16-trunc.h5", /shd-f16-trunc\.h5: at byte 7608: expected 12680 bytes .*truncated/],
    ["shd-f16-corrupt.h5", /shd-f16-corrupt\.h5: at byte 0: expected the HDF5 signature.*not an HDF5 file/],
    ["shd-f16-badheap.h5", /shd-f16-badheap\.h5: reading rows \[0, 3\) of 'spikes\/times' failed.*corrupt/],
    ["shd-f16-badunit.h5", /shd-f16-badunit\.h5: sample 0, spike 1: unit 700 outside 0\.\.699/],
    ["shd-f16-mismatch.h5", /shd-f16-mismatch\.h5: sample 1: spikes\/times has 4 entries but spikes\/units has 3/],
    ["missing.h5", /missing\.h5: no such file/],
  ];
  for (const [file, msg] of bad) {
    it(`rejects ${file} with an error naming it`, async () => {
      await expect(readShdFile(join(FIX, file))).rejects.toThrow(msg);
    });
  }
});

describe("writeShdFile (the project's own HDF5 writer) → readShdFile", () => {
  for (const timeDtype of ["float16", "float32"] as const) {
    it(`round-trips synthetic samples with ${timeDtype} times`, async () => {
      const syn = syntheticShdSamples({ samplesPerClass: 2, spikesPerSample: 50, seed: 3 });
      const file = join(tmp, `syn-${timeDtype}.h5`);
      await writeShdFile(file, syn, { timeDtype });
      const back = await readShdFile(file);
      expect(back.samples).toHaveLength(2 * SHD_CLASSES);
      expect(Array.from(back.labels)).toEqual(Array.from(syn.labels));
      back.samples.forEach((e, i) => {
        expect(Array.from(e.units)).toEqual(Array.from(syn.samples[i]!.units));
        const want = syn.samples[i]!.times;
        // float16 keeps 11 significant bits: relative error ≤ 2^-11 (times here are ≥ 0 and < 1 s).
        for (let k = 0; k < want.length; k++) expect(Math.abs(e.times[k]! - want[k]!)).toBeLessThanOrEqual(timeDtype === "float32" ? 0 : Math.max(2 ** -11 * want[k]!, 2 ** -25));
      });
    });
  }

  it("rejects labels that do not match the samples", async () => {
    await expect(writeShdFile(join(tmp, "x.h5"), { samples: [{ times: new Float32Array(1), units: new Int32Array(1) }], labels: [] })).rejects.toThrow(/1 samples but 0 labels/);
  });
});
