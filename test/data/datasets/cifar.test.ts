// CIFAR-10/100 binary batches: hand-written bytes, round trips, bad input, sequence layouts, fetch --from.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fetchCifar, parseCifarArgs } from "../../../data/fetch/cifar.js";
import { CIFAR_PIXELS, CIFAR_VARIANTS, CifarSequenceSource, decodeCifarBinary, encodeCifarBinary, loadCifar, writeCifarFolder, type CifarSet } from "../../../src/lib/data/datasets/cifar.js";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { generateSyntheticCifar } from "../../../src/lib/data/synthetic-cifar.js";
import { tmp } from "../helpers.js";

/** A CIFAR image whose byte at (channel c, row r, column q) is (c·7 + r·3 + q) mod 256. */
function patterned(): Uint8Array {
  const img = new Uint8Array(CIFAR_PIXELS);
  for (let c = 0; c < 3; c++) for (let r = 0; r < 32; r++) for (let q = 0; q < 32; q++) img[c * 1024 + r * 32 + q] = (c * 7 + r * 3 + q) % 256;
  return img;
}

describe("CIFAR binary batches", () => {
  it("decodes hand-written CIFAR-10 and CIFAR-100 records byte-exactly", () => {
    const img = patterned();
    const c10 = new Uint8Array([7, ...img, 2, ...img.map((v) => 255 - v)]);
    const s10 = decodeCifarBinary(c10, "cifar10");
    expect(Array.from(s10.labels)).toEqual([7, 2]);
    expect(s10.images[0]).toBe(0);
    expect(s10.images[1024 + 5 * 32 + 9]).toBe((7 + 15 + 9) % 256);
    expect(s10.images[CIFAR_PIXELS]).toBe(255);
    const c100 = new Uint8Array([19, 99, ...img]);
    const s100 = decodeCifarBinary(c100, "cifar100");
    expect(Array.from(s100.labels)).toEqual([99]);
    expect(Array.from(s100.coarse!)).toEqual([19]);
    expect(s100.images[2 * 1024 + 31 * 32 + 31]).toBe((14 + 93 + 31) % 256);
  });

  it("round-trips through encode", () => {
    const set: CifarSet = { variant: "cifar100", images: new Uint8Array([...patterned(), ...patterned().reverse()]), labels: Int32Array.from([3, 42]), coarse: Int32Array.from([1, 8]) };
    const back = decodeCifarBinary(encodeCifarBinary(set), "cifar100");
    expect(back.images).toEqual(set.images);
    expect(Array.from(back.labels)).toEqual([3, 42]);
    expect(Array.from(back.coarse!)).toEqual([1, 8]);
  });

  it("names file, offset and rule for a truncated file, a bad label and a wrong variant", () => {
    const rec = new Uint8Array([1, ...patterned()]);
    const cut = rec.subarray(0, 3000);
    expect(() => decodeCifarBinary(cut, "cifar10", "data_batch_1.bin")).toThrow(EventFileError);
    expect(() => decodeCifarBinary(cut, "cifar10", "data_batch_1.bin")).toThrow(/data_batch_1\.bin: at byte 0: expected cifar10 records of 3073 bytes/);
    const two = new Uint8Array([...rec, 10, ...patterned()]);
    expect(() => decodeCifarBinary(two, "cifar10", "f.bin")).toThrow(/f\.bin: at byte 3073: expected a cifar10 label < 10, found 10/);
    // A CIFAR-10 file read as CIFAR-100 does not divide into 3074-byte records.
    expect(() => decodeCifarBinary(new Uint8Array(3073 * 2), "cifar100", "x.bin")).toThrow(/x\.bin: at byte 3074: expected cifar100 records of 3074 bytes/);
    expect(() => loadCifar(tmp(), "cifar10", true)).toThrow(/data_batch_1\.bin: not found\. Fetch cifar10 with 'npx tsx data\/fetch\/cifar\.ts --variant 10'/);
  });

  it("writes and loads the official folder layout, concatenating the five training batches in order", async () => {
    const root = tmp();
    const n = 10;
    const images = new Uint8Array(n * CIFAR_PIXELS).map((_, i) => (i * 13) % 251);
    const train: CifarSet = { variant: "cifar10", images, labels: Int32Array.from({ length: n }, (_, i) => i % 10) };
    const test: CifarSet = { variant: "cifar10", images: images.subarray(0, 2 * CIFAR_PIXELS), labels: Int32Array.from([4, 5]) };
    await writeCifarFolder(root, train, test);
    const back = loadCifar(root, "cifar10", true);
    expect(back.images).toEqual(images);
    expect(Array.from(back.labels)).toEqual(Array.from(train.labels));
    expect(Array.from(loadCifar(root, "cifar10", false).labels)).toEqual([4, 5]);
    expect(CIFAR_VARIANTS.cifar10.trainFiles.length).toBe(5);
  });
});

describe("CifarSequenceSource", () => {
  const set: CifarSet = { variant: "cifar10", images: patterned(), labels: Int32Array.from([3]) };
  const { mean, std } = CIFAR_VARIANTS.cifar10;
  const norm = (v: number, c: number) => (v / 255 - mean[c]!) / std[c]!;

  it("column layout: step t is image column t, [32, B, 32, 1, 3], normalised", () => {
    const b = new CifarSequenceSource(set, { layout: "column", batchSize: 1 }).batch(0, 0);
    expect(b.x.shape).toEqual([32, 1, 32, 1, 3]);
    const x = b.x.arraySync() as number[][][][][];
    expect(x[9]![0]![5]![0]![1]).toBeCloseTo(norm((7 + 15 + 9) % 256, 1), 5);
    expect(x[0]![0]![31]![0]![2]).toBeCloseTo(norm((14 + 93) % 256, 2), 5);
    expect(Array.from(b.labels)).toEqual([3]);
    b.x.dispose();
  });

  it("pixel layout: row-major pixels, T = 1024, or (32/d)² after average-pooling by d", () => {
    const full = new CifarSequenceSource(set, { layout: "pixel", batchSize: 1 });
    expect(full.T).toBe(1024);
    const b = full.batch(0, 0);
    const x = b.x.dataSync();
    expect(b.x.shape).toEqual([1024, 1, 3]);
    expect(x[(5 * 32 + 9) * 3 + 1]).toBeCloseTo(norm((7 + 15 + 9) % 256, 1), 5);
    b.x.dispose();
    const small = new CifarSequenceSource(set, { layout: "pixel", batchSize: 1, downsample: 4 });
    const bs = small.batch(0, 0);
    expect(bs.x.shape).toEqual([64, 1, 3]);
    // Pixel (1, 2) of the 8×8 image = mean of rows 4..7, columns 8..11 of channel 0.
    let sum = 0;
    for (let r = 4; r < 8; r++) for (let q = 8; q < 12; q++) sum += (r * 3 + q) % 256;
    expect(bs.x.dataSync()[(1 * 8 + 2) * 3]).toBeCloseTo(norm(sum / 16, 0), 5);
    bs.x.dispose();
    expect(() => new CifarSequenceSource(set, { layout: "pixel", batchSize: 1, downsample: 3 })).toThrow(/downsample must be an integer divisor of 32, got 3/);
  });

  it("horizontal flip reverses the columns (time, in the column layout)", () => {
    const src = new CifarSequenceSource(set, { layout: "column", batchSize: 1, hflip: true, shuffleSeed: 1 });
    const plain = new CifarSequenceSource(set, { layout: "column", batchSize: 1 }).batch(0, 0);
    const p = plain.x.arraySync() as number[][][][][];
    let flipped = 0, same = 0;
    for (let e = 0; e < 16; e++) {
      const b = src.batch(e, 0);
      const x = b.x.arraySync() as number[][][][][];
      if (x[0]![0]![3]![0]![0] === p[31]![0]![3]![0]![0]) flipped++;
      else if (x[0]![0]![3]![0]![0] === p[0]![0]![3]![0]![0]) same++;
      b.x.dispose();
    }
    plain.x.dispose();
    expect(flipped + same).toBe(16);
    expect(flipped).toBeGreaterThan(2);
    expect(same).toBeGreaterThan(2);
  });
});

describe("synthetic CIFAR and data/fetch/cifar.ts", () => {
  it("synthetic files decode with balanced labels; --from a tar.gz of them extracts and verifies, and a wrong md5 is refused", async () => {
    const work = tmp();
    const counts = await generateSyntheticCifar(join(work, "src"), "cifar100", { trainPerClass: 2, testPerClass: 1 });
    expect(counts).toEqual({ train: 200, test: 100 });
    const set = loadCifar(join(work, "src"), "cifar100", false);
    expect(new Set(set.labels).size).toBe(100);
    mkdirSync(join(work, "pack"));
    const tarball = join(work, "pack", "cifar-100-binary.tar.gz");
    const r = spawnSync("tar", ["-czf", tarball, "-C", join(work, "src"), "cifar-100-binary"]);
    expect(r.status).toBe(0);
    const { variant, args } = parseCifarArgs(["--variant", "100", "--root", join(work, "ds"), "--from", tarball]);
    expect(variant).toBe("cifar100");
    await expect(fetchCifar(variant, args)).rejects.toThrow(/cifar-100-binary\.tar\.gz: md5 [0-9a-f]{32}, expected 03b5dce01913d631647c71ecec9e9cb8/);
    const ok = await fetchCifar(variant, { ...args, skipMd5: true });
    expect([ok.train, ok.test]).toEqual([200, 100]);
    expect(() => parseCifarArgs(["--variant", "7"])).toThrow(/--variant must be 10 or 100, got '7'/);
    expect(() => parseCifarArgs([])).toThrow(/pass --variant 10 or --variant 100/);
    expect(() => parseCifarArgs(["--variant"])).toThrow("cifar: --variant needs a value: 10 or 100");
    expect(() => parseCifarArgs(["--variant", "10", "--clases", "x"])).toThrow(/cifar: Unknown option '--clases'; expected one of .*--variant <value>/);
    expect(parseCifarArgs(["--variant", "cifar10"]).args.root).toBe(resolve("data/raw/cifar10")); // the default root follows the variant
    expect(parseCifarArgs(["--variant", "100", "--root", "r"]).args.root).toBe(resolve("r"));
  });
});
