// data/fetch/imagenet.ts on tiny fixture archives made with the system tar: manual-download message without
// --from, md5 table (injected) checked, nested train tars unpacked per class (resumable), val sorted by the
// devkit ground truth via meta.mat, --classes subset, non-JPEG members moved aside; then the loader reads it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fetchImageNet, IMAGENET_FILES, parseImageNetArgs } from "../../data/fetch/imagenet.js";
import { scanImageNet } from "../../src/lib/data/datasets/imagenet.js";
import { encodeJpeg } from "../../src/lib/data/formats/jpeg.js";
import { writeMat5, type MatValue } from "../../src/lib/data/formats/mat5.js";
import { tmp } from "./helpers.js";
import { fixtureImage } from "./imagenet-fixture.js";

function sh(cwd: string, args: string[]): void {
  const r = spawnSync("tar", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tar ${args.join(" ")}: ${r.stderr}`);
}
const md5 = (p: string) => createHash("md5").update(readFileSync(p)).digest("hex");

// ILSVRC2012_IDs are not in wnid order: ID 1 → the larger wnid. ID 1001 is a non-leaf synset.
const SYNSETS: [number, string][] = [[1, "n02000000"], [2, "n01000000"], [3, "n01500000"], [1001, "n00001740"]];
const num = (v: number): MatValue => ({ kind: "numeric", dims: [1, 1], data: [v] });
const chr = (s: string): MatValue => ({ kind: "char", dims: [1, s.length], rows: [s] });

/** Build the three archives in `dir`; val image k (1-based) has ILSVRC2012_ID gt[k − 1]. */
function makeArchives(dir: string, gt: number[]): void {
  const w = join(dir, "work");
  for (const [id, wnid] of SYNSETS.slice(0, 3)) {
    const cls = join(w, "cls", wnid);
    mkdirSync(cls, { recursive: true });
    for (let k = 1; k <= 2; k++) writeFileSync(join(cls, `${wnid}_${k}.JPEG`), encodeJpeg(fixtureImage(id, k, 12, 10)));
    if (id === 3) writeFileSync(join(cls, `${wnid}_3.JPEG`), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0])); // a PNG named .JPEG
    mkdirSync(join(w, "train"), { recursive: true });
    sh(cls, ["-cf", join(w, "train", `${wnid}.tar`), "."]);
  }
  sh(join(w, "train"), ["-cf", join(dir, IMAGENET_FILES.train), ...SYNSETS.slice(0, 3).map(([, n]) => `${n}.tar`)]);
  mkdirSync(join(w, "val"), { recursive: true });
  const names = gt.map((_, k) => `ILSVRC2012_val_${String(k + 1).padStart(8, "0")}.JPEG`);
  names.forEach((n, k) => writeFileSync(join(w, "val", n), encodeJpeg(fixtureImage(gt[k]!, k, 10, 12))));
  sh(join(w, "val"), ["-cf", join(dir, IMAGENET_FILES.val), ...names]);
  const data = join(w, "dk", "ILSVRC2012_devkit_t12", "data");
  mkdirSync(data, { recursive: true });
  const fields = ["ILSVRC2012_ID", "WNID", "words", "num_children"];
  writeFileSync(join(data, "meta.mat"), writeMat5({
    synsets: { kind: "struct", dims: [SYNSETS.length, 1], fields, elements: SYNSETS.map(([id, wnid]) => ({ ILSVRC2012_ID: num(id), WNID: chr(wnid), words: chr(`class ${id}`), num_children: num(id > 1000 ? 3 : 0) })) },
  }, { compress: true }));
  writeFileSync(join(data, "ILSVRC2012_validation_ground_truth.txt"), `${gt.join("\n")}\n`);
  sh(join(w, "dk"), ["-czf", join(dir, IMAGENET_FILES.devkit), "ILSVRC2012_devkit_t12"]);
}

describe("data/fetch/imagenet", () => {
  it("arguments: the common fetch options plus --classes; the bad option is named with what it expects", () => {
    expect(parseImageNetArgs([]).root).toBe(resolve("data/raw/imagenet"));
    expect(() => parseImageNetArgs(["--classes"])).toThrow("imagenet: --classes needs a value: a file with one wnid per line");
    expect(() => parseImageNetArgs(["--class", "x"])).toThrow(/imagenet: Unknown option '--class'; expected one of .*--classes <value>/);
  });
  it("without --from prints the manual steps; the publisher md5s are enforced unless injected", async () => {
    const a = parseImageNetArgs(["--root", tmp()]);
    await expect(fetchImageNet(a, { log: () => {} })).rejects.toThrow(/cannot be downloaded automatically[\s\S]*image-net\.org[\s\S]*ILSVRC2012_img_train\.tar[\s\S]*ILSVRC2012_img_val\.tar[\s\S]*ILSVRC2012_devkit_t12\.tar\.gz/);
    const dir = tmp();
    makeArchives(dir, [1, 2]);
    await expect(fetchImageNet(parseImageNetArgs(["--root", join(dir, "ds"), "--from", dir]), { log: () => {} }))
      .rejects.toThrow(/ILSVRC2012_devkit_t12\.tar\.gz: md5 [0-9a-f]{32}, expected fa75699e90414af021442c21a62c3abf|ILSVRC2012_img_train\.tar: md5 [0-9a-f]{32}, expected 1d675b47d978889d74fa0da5fadfb00e/);
  });
  it("unpacks train per class and sorts val by the ground truth; resumable; --classes subset", async () => {
    const dir = tmp();
    const gt = [3, 1, 2, 1, 3, 2];
    makeArchives(dir, gt);
    const table = Object.fromEntries(Object.values(IMAGENET_FILES).map((f) => [f, md5(join(dir, f))]));
    const root = join(dir, "ds");
    const logs: string[] = [];
    const r = await fetchImageNet(parseImageNetArgs(["--root", root, "--from", dir]), { md5: table, log: (s) => logs.push(s) });
    expect(r).toMatchObject({ classes: 3, train: 7, val: 6, rejected: ["n01500000/n01500000_3.JPEG"] });
    expect(readdirSync(join(root, "train")).sort()).toEqual(["n01000000", "n01500000", "n02000000"]);
    expect(existsSync(join(root, "rejected", "n01500000", "n01500000_3.JPEG"))).toBe(true);
    // val image 1 has ID 3 → n01500000; image 2 ID 1 → n02000000; image 3 ID 2 → n01000000.
    expect(readdirSync(join(root, "val", "n01500000")).sort()).toEqual(["ILSVRC2012_val_00000001.JPEG", "ILSVRC2012_val_00000005.JPEG"]);
    expect(readdirSync(join(root, "val", "n02000000")).sort()).toEqual(["ILSVRC2012_val_00000002.JPEG", "ILSVRC2012_val_00000004.JPEG"]);
    const val = scanImageNet({ root, split: "val" });
    expect(val.classes).toEqual(["n01000000", "n01500000", "n02000000"]);
    expect(val.samples.map((s) => s.label)).toEqual([0, 0, 1, 1, 2, 2]);
    // Resume: a marked class is skipped (a file deleted from it stays deleted); an unmarked one is redone.
    rmSync(join(root, "train", "n01000000", "n01000000_1.JPEG"));
    rmSync(join(root, "train", "n02000000", "n02000000_1.JPEG"));
    rmSync(join(root, "train", "n02000000", ".complete"));
    logs.length = 0;
    await fetchImageNet(parseImageNetArgs(["--root", root, "--from", dir]), { md5: table, log: (s) => logs.push(s) });
    expect(existsSync(join(root, "train", "n01000000", "n01000000_1.JPEG"))).toBe(false);
    expect(existsSync(join(root, "train", "n02000000", "n02000000_1.JPEG"))).toBe(true);
    expect(logs.filter((l) => l.startsWith("train/"))).toEqual(["train/n02000000: 2 images (1)"]);
    expect(logs.some((l) => /checking md5/.test(l))).toBe(false); // verified once, stamped
    // --classes: only the listed classes.
    const list = join(dir, "classes.txt");
    writeFileSync(list, "n02000000\n");
    const root2 = join(dir, "ds2");
    const r2 = await fetchImageNet(parseImageNetArgs(["--root", root2, "--from", dir, "--classes", list, "--skip-md5"]), { log: () => {} });
    expect(r2).toMatchObject({ classes: 1, train: 2, val: 2 });
    expect(readdirSync(join(root2, "val")).filter((d) => !d.startsWith("."))).toEqual(["n02000000"]);
  });
});
