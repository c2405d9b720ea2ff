/**
 * `npx tsx data/fetch/imagenet.ts --from <dir> [--root data/raw/imagenet] [--classes list.txt] [--skip-md5]`
 *
 * ImageNet (ILSVRC2012) needs a registered download, so nothing is downloaded here: without `--from` the
 * command prints the manual steps and exits non-zero. With `--from <dir>` holding the three publisher files it
 * 1. verifies their md5s (the values torchvision checks; a verified file is stamped, so reruns skip the hash);
 * 2. reads `data/meta.mat` (ILSVRC2012_ID → WNID; IDs 1…1000 are the leaf classes, not in sorted-wnid order) and
 *    `data/ILSVRC2012_validation_ground_truth.txt` (the ID of ILSVRC2012_val_00000001 … 50000, one per line)
 *    from the devkit;
 * 3. unpacks the training tar — one inner `<wnid>.tar` per class — into `<root>/train/<wnid>/` in a single pass
 *    of positioned reads (no 147 GB temporary copy). A class is unpacked into a hidden temp folder, renamed, and
 *    marked `.complete`; a rerun skips marked classes, so an interrupted extraction resumes;
 * 4. sorts the validation images into `<root>/val/<wnid>/` by the ground truth.
 * `--classes` (one wnid per line, e.g. an ImageNet-100 list) unpacks only those classes. A member that is not a
 * JPEG (no `ff d8` start — one training "JPEG" is really a PNG) is moved to `<root>/rejected/` and listed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseClassList } from "../../src/lib/data/datasets/imagenet.js";
import { readMat5, type MatValue } from "../../src/lib/data/formats/mat5.js";
import { fileTar, memoryTar, readMember, tarMembers } from "../../src/lib/data/formats/tar.js";
import { FETCH_OPTIONS, fetchArgsFrom, isMain, parseOptions, verifyMd5, type FetchArgs } from "./common.js";

export const IMAGENET_FILES = { train: "ILSVRC2012_img_train.tar", val: "ILSVRC2012_img_val.tar", devkit: "ILSVRC2012_devkit_t12.tar.gz" } as const;

/** The publisher's md5s (the same torchvision's `ImageNet` dataset checks). */
export const IMAGENET_MD5: Record<string, string> = {
  [IMAGENET_FILES.train]: "1d675b47d978889d74fa0da5fadfb00e",
  [IMAGENET_FILES.val]: "29b22e2961454d5413ddabcf34fc5622",
  [IMAGENET_FILES.devkit]: "fa75699e90414af021442c21a62c3abf",
};

export const IMAGENET_MANUAL = `ImageNet (ILSVRC2012) cannot be downloaded automatically: it needs an account.
  1. Register at https://image-net.org (Download → ILSVRC 2012) and accept the terms of access.
  2. Download these three files into one folder (~ 155 GB in all):
       ${IMAGENET_FILES.train}       (138 GB, md5 ${IMAGENET_MD5[IMAGENET_FILES.train]})
       ${IMAGENET_FILES.val}         (6.3 GB, md5 ${IMAGENET_MD5[IMAGENET_FILES.val]})
       ${IMAGENET_FILES.devkit}   (2.5 MB, md5 ${IMAGENET_MD5[IMAGENET_FILES.devkit]})
  3. Run: npx tsx data/fetch/imagenet.ts --from <that folder> [--root data/raw/imagenet] [--classes <wnid list>]
     This verifies the md5s and unpacks <root>/train/<wnid>/*.JPEG and <root>/val/<wnid>/*.JPEG
     (about 150 GB more disk; --classes unpacks only the listed classes, e.g. the 10 of imp:table3 --scale small).`;

export interface ImageNetFetchArgs extends FetchArgs { classes?: string[] }

/** `--classes <file>` and the common fetch options; default root `data/raw/imagenet`. */
export function parseImageNetArgs(argv: readonly string[]): ImageNetFetchArgs {
  const v = parseOptions("imagenet", argv, { ...FETCH_OPTIONS, classes: { type: "string", expects: "a file with one wnid per line" } });
  const a = fetchArgsFrom(v, "imagenet", []);
  return { ...a, ...(v.classes !== undefined ? { classes: parseClassList(readFileSync(v.classes, "utf8"), v.classes) } : {}) };
}

/** ILSVRC2012_ID → WNID of the 1000 leaf classes from the devkit's `meta.mat` struct array `synsets`. */
export function synsetIds(meta: Record<string, MatValue>, file: string): Map<number, string> {
  const s = meta.synsets;
  if (!s || s.kind !== "struct" || !s.fields.includes("ILSVRC2012_ID") || !s.fields.includes("WNID")) {
    throw new Error(`${file}: expected a struct array 'synsets' with fields ILSVRC2012_ID and WNID`);
  }
  const out = new Map<number, string>();
  for (const e of s.elements) {
    const id = e.ILSVRC2012_ID, w = e.WNID;
    if (id?.kind !== "numeric" || w?.kind !== "char") throw new Error(`${file}: synsets element without a numeric ILSVRC2012_ID and char WNID`);
    if (id.data[0]! >= 1 && id.data[0]! <= 1000) out.set(id.data[0]!, w.rows[0]!);
  }
  return out;
}

/** Per validation image (file order), its ILSVRC2012_ID. */
export function parseGroundTruth(text: string, file: string): number[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").map((l, i) => {
    const v = Number(l.trim());
    if (!Number.isInteger(v) || v < 1 || v > 1000) throw new Error(`${file}:${i + 1}: expected an ILSVRC2012_ID in 1…1000, found '${l}'`);
    return v;
  });
}

export interface ImageNetFetchResult { root: string; classes: number; train: number; val: number; rejected: string[] }

/** Verify (or trust a stamp of an earlier verification of the same size and mtime). */
async function verifyOnce(path: string, md5: string, root: string, log: (s: string) => void): Promise<void> {
  const st = statSync(path);
  const stamp = join(root, `.md5-ok-${basename(path)}`);
  const sig = `${md5} ${st.size} ${st.mtimeMs}`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === sig) return;
  log(`${basename(path)}: checking md5 (${(st.size / 1e9).toFixed(1)} GB)…`);
  await verifyMd5(path, md5);
  mkdirSync(root, { recursive: true });
  writeFileSync(stamp, sig);
}

const isJpeg = (b: Uint8Array) => b.length >= 2 && b[0] === 0xff && b[1] === 0xd8;

export async function fetchImageNet(
  args: ImageNetFetchArgs, deps: { md5?: Record<string, string>; log?: (s: string) => void } = {},
): Promise<ImageNetFetchResult> {
  const log = deps.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  if (!args.from) throw new Error(IMAGENET_MANUAL);
  const md5 = deps.md5 ?? IMAGENET_MD5;
  const path = (k: keyof typeof IMAGENET_FILES) => {
    const p = join(args.from!, IMAGENET_FILES[k]);
    if (!existsSync(p)) throw new Error(`--from ${args.from}: ${IMAGENET_FILES[k]} is not in this folder.\n${IMAGENET_MANUAL}`);
    return p;
  };
  const files = { train: path("train"), val: path("val"), devkit: path("devkit") };
  if (args.skipMd5) log("WARNING: md5 check of the ImageNet archives skipped (--skip-md5)");
  else for (const p of Object.values(files)) await verifyOnce(p, md5[basename(p)]!, args.root, log);

  // Devkit: small, read in memory.
  const devkit = memoryTar(new Uint8Array(gunzipSync(readFileSync(files.devkit))));
  let meta: Map<number, string> | undefined, truth: number[] | undefined;
  for await (const m of tarMembers(devkit, files.devkit)) {
    if (m.name.endsWith("data/meta.mat")) meta = synsetIds(readMat5(await readMember(devkit, m, files.devkit), `${files.devkit}:${m.name}`), m.name);
    if (m.name.endsWith("data/ILSVRC2012_validation_ground_truth.txt")) truth = parseGroundTruth(Buffer.from(await readMember(devkit, m, files.devkit)).toString("utf8"), m.name);
  }
  if (!meta || !truth) throw new Error(`${files.devkit}: expected data/meta.mat and data/ILSVRC2012_validation_ground_truth.txt in the devkit`);
  const wanted = args.classes ? new Set(args.classes) : null;
  for (const w of wanted ?? []) if (![...meta.values()].includes(w)) throw new Error(`--classes: ${w} is not one of the 1000 ILSVRC2012 classes`);
  const rejected: string[] = [];
  const place = (dir: string, name: string, bytes: Uint8Array, wnid: string) => {
    if (isJpeg(bytes)) writeFileSync(join(dir, name), bytes);
    else {
      mkdirSync(join(args.root, "rejected", wnid), { recursive: true });
      writeFileSync(join(args.root, "rejected", wnid, name), bytes);
      rejected.push(`${wnid}/${name}`);
      log(`${wnid}/${name}: not a JPEG (first bytes ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ")}); moved to rejected/`);
    }
  };

  // Training images: one inner tar per class.
  const trainDir = join(args.root, "train");
  mkdirSync(trainDir, { recursive: true });
  const train = await fileTar(files.train);
  let nTrain = 0, nClasses = 0;
  try {
    for await (const m of tarMembers(train, files.train)) {
      if (m.type !== "0" || !m.name.endsWith(".tar")) continue;
      const wnid = basename(m.name, ".tar");
      if (wanted && !wanted.has(wnid)) continue;
      nClasses++;
      const dest = join(trainDir, wnid);
      if (existsSync(join(dest, ".complete"))) { nTrain += Number(readFileSync(join(dest, ".complete"), "utf8")); continue; }
      rmSync(dest, { recursive: true, force: true }); // renamed but not marked: redo
      const tmp = join(trainDir, `.${wnid}.partial`);
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      const inner = memoryTar(await readMember(train, m, files.train));
      let n = 0;
      for await (const f of tarMembers(inner, `${files.train}:${m.name}`)) {
        if (f.type !== "0") continue;
        place(tmp, basename(f.name), await readMember(inner, f, m.name), wnid);
        n++;
      }
      renameSync(tmp, dest);
      writeFileSync(join(dest, ".complete"), String(n));
      nTrain += n;
      log(`train/${wnid}: ${n} images (${nClasses}${wanted ? `/${wanted.size}` : ""})`);
    }
  } finally {
    await train.close();
  }

  // Validation images, sorted by the ground truth (file k ↔ line k).
  const valDir = join(args.root, "val");
  const valStamp = join(valDir, ".complete");
  const sig = createHash("sha256").update(JSON.stringify(args.classes ?? "all")).digest("hex");
  let nVal = 0;
  if (existsSync(valStamp) && readFileSync(valStamp, "utf8").startsWith(sig)) nVal = Number(readFileSync(valStamp, "utf8").split(" ")[1]);
  else {
    const val = await fileTar(files.val);
    try {
      for await (const m of tarMembers(val, files.val)) {
        if (m.type !== "0") continue;
        const k = /ILSVRC2012_val_(\d{8})\.JPEG$/.exec(m.name);
        if (!k) throw new Error(`${files.val}: member ${m.name}: expected ILSVRC2012_val_NNNNNNNN.JPEG`);
        const id = truth[Number(k[1]) - 1];
        const wnid = id === undefined ? undefined : meta.get(id);
        if (!wnid) throw new Error(`${files.val}: ${m.name} has no class in the devkit ground truth (${truth.length} lines)`);
        if (wanted && !wanted.has(wnid)) continue;
        const dir = join(valDir, wnid);
        mkdirSync(dir, { recursive: true });
        const out = join(dir, basename(m.name));
        if (!(existsSync(out) && statSync(out).size === m.size)) place(dir, basename(m.name), await readMember(val, m, files.val), wnid);
        nVal++;
      }
    } finally {
      await val.close();
    }
    writeFileSync(valStamp, `${sig} ${nVal}`);
  }
  return { root: args.root, classes: nClasses, train: nTrain, val: nVal, rejected };
}

if (isMain(import.meta.url)) {
  try {
    const args = parseImageNetArgs(process.argv.slice(2));
    if (args.help) process.stdout.write(`npx tsx data/fetch/imagenet.ts --from <dir> [--root DIR] [--classes FILE] [--skip-md5]\n\n${IMAGENET_MANUAL}\n`);
    else {
      fetchImageNet(args).then((r) => process.stdout.write(`ImageNet ready in ${r.root}: ${r.classes} classes, ${r.train} train and ${r.val} val images${r.rejected.length ? `, ${r.rejected.length} non-JPEG file(s) in rejected/` : ""}\n`))
        .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
