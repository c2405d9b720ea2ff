// data/fetch/dvs-lip.ts on zips written here (yazl): md5, manual step, layout filter, resume, corrupt entry.
import { createWriteStream, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import yazl from "yazl";
import { DVS_LIP_MD5, DVS_LIP_STAMP, dvsLipEntryPath, fetchDvsLip, parseDvsLipArgs } from "../../data/fetch/dvs-lip.js";
import { md5File } from "../../data/fetch/common.js";
import { DVS_LIP_INCOMPLETE, DvsLip } from "../../src/lib/data/datasets/dvs-lip.js";
import { encodeNpyEvents } from "../../src/lib/data/formats/npy.js";
import { makeEvents } from "../../src/lib/data/events.js";
import { tmp } from "./helpers.js";

function npy(seed: number): Buffer {
  return Buffer.from(encodeNpyEvents(makeEvents({ t: [0, 10 + seed, 20 + seed], x: [16, 50, 111], y: [16, 60, 111], p: [1, 0, seed % 2] })));
}

/** A zip with the real layout (deflated and stored entries, directory entries, a __MACOSX stray). */
async function writeZip(path: string, files: Record<string, Buffer>): Promise<void> {
  const z = new yazl.ZipFile();
  z.addEmptyDirectory("DVS-Lip/");
  z.addEmptyDirectory("DVS-Lip/train/");
  let i = 0;
  for (const [name, data] of Object.entries(files)) z.addBuffer(data, name, { compress: i++ % 2 === 1 });
  z.addBuffer(Buffer.from("junk"), "__MACOSX/DVS-Lip/train/._x.npy");
  z.end();
  await new Promise<void>((res, rej) => z.outputStream.pipe(createWriteStream(path)).on("close", res).on("error", rej));
}

const FILES: Record<string, Buffer> = {
  "DVS-Lip/train/accused/0.npy": npy(0), "DVS-Lip/train/accused/1.npy": npy(1), "DVS-Lip/train/action/0.npy": npy(2),
  "DVS-Lip/test/accused/7.npy": npy(3), "DVS-Lip/test/action/8.npy": npy(4),
};

describe("data/fetch/dvs-lip", () => {
  it("parses its arguments with node:util parseArgs and rejects unknown ones", () => {
    expect(parseDvsLipArgs(["--from", "/x/DVS-Lip.zip", "--skip-md5"])).toMatchObject({ from: "/x/DVS-Lip.zip", skipMd5: true, help: false });
    expect(() => parseDvsLipArgs(["--frmo", "x"])).toThrow(/dvs-lip: Unknown option '--frmo'.*try --help/);
    expect(() => parseDvsLipArgs(["--from"])).toThrow("dvs-lip: --from needs a value: DVS-Lip.zip, or a folder holding it");
  });

  it("keeps only DVS-Lip/{train,test}/<word>/<file>.npy entries", () => {
    expect(dvsLipEntryPath("DVS-Lip/test/young/12.npy")).toBe("DVS-Lip/test/young/12.npy");
    for (const bad of ["DVS-Lip/val/a/1.npy", "DVS-Lip/train/a/b/1.npy", "__MACOSX/DVS-Lip/train/a/._1.npy", "DVS-Lip/train/../1.npy", "DVS-Lip/train/a/1.txt", "/DVS-Lip/train/a/1.npy"]) {
      expect(dvsLipEntryPath(bad)).toBeNull();
    }
  });

  it("without the zip, prints the manual download step", async () => {
    const root = tmp();
    await expect(fetchDvsLip(parseDvsLipArgs(["--root", root]))).rejects.toThrow(/DVS-Lip\.zip was not given[\s\S]*download DVS-Lip\.zip \(md5 2dcb959255122d4cdeb6094ca282494b\)[\s\S]*--from/);
    await expect(fetchDvsLip(parseDvsLipArgs(["--root", root, "--from", join(root, "nope.zip")]))).rejects.toThrow(/no such file[\s\S]*must be downloaded by hand/);
  });

  it("rejects a zip whose md5 is not the published one, writing nothing", async () => {
    const work = tmp();
    await writeZip(join(work, "DVS-Lip.zip"), FILES);
    await expect(fetchDvsLip(parseDvsLipArgs(["--root", join(work, "ds"), "--from", work]), { log: () => {} })).rejects.toThrow(new RegExp(`DVS-Lip\\.zip: md5 [0-9a-f]{32}, expected ${DVS_LIP_MD5}`));
    expect(existsSync(join(work, "ds", "extract"))).toBe(false);
  });

  it("unpacks the layout byte for byte, resumes an interrupted run, and the dataset reads it", async () => {
    const work = tmp();
    const zip = join(work, "DVS-Lip.zip");
    await writeZip(zip, FILES);
    const md5 = await md5File(zip);
    const args = parseDvsLipArgs(["--root", join(work, "ds"), "--from", zip]);
    const r = await fetchDvsLip(args, { md5, log: () => {} });
    expect([r.written, r.skipped, r.words]).toEqual([5, 0, { train: 2, test: 2 }]);
    for (const [name, data] of Object.entries(FILES)) expect(readFileSync(join(r.root, name)).equals(data)).toBe(true);
    expect(existsSync(join(r.root, "__MACOSX"))).toBe(false);
    expect(JSON.parse(readFileSync(join(r.root, DVS_LIP_STAMP), "utf8"))).toMatchObject({ md5, files: 5, ignoredEntries: 1 });
    expect(existsSync(join(r.root, DVS_LIP_INCOMPLETE))).toBe(false);

    // Interrupted run: one file missing, a stale .part beside it, the marker still there.
    const gone = join(r.root, "DVS-Lip/train/action/0.npy");
    rmSync(gone);
    writeFileSync(`${gone}.part`, "half");
    writeFileSync(join(r.root, DVS_LIP_INCOMPLETE), "interrupted\n");
    expect(() => DvsLip.open({ root: r.root, train: true })).toThrow(/unfinished extraction .*rerun 'npx tsx data\/fetch\/dvs-lip\.ts/);
    const before = statSync(join(r.root, "DVS-Lip/train/accused/0.npy")).mtimeMs;
    const again = await fetchDvsLip(args, { md5, log: () => {} });
    expect([again.written, again.skipped]).toEqual([1, 4]);
    expect(statSync(join(r.root, "DVS-Lip/train/accused/0.npy")).mtimeMs).toBe(before);
    expect(readFileSync(gone).equals(FILES["DVS-Lip/train/action/0.npy"]!)).toBe(true);
    expect(readdirSync(join(r.root, "DVS-Lip/train/action"))).toEqual(["0.npy"]);

    const ds = DvsLip.open({ root: r.root, train: true });
    expect(ds.classes).toEqual(["accused", "action"]);
    expect(ds.samples.map((s) => [s.id, s.label])).toEqual([["accused/0", 0], ["accused/1", 0], ["action/0", 1]]);
    const ev = await ds.loadEvents(ds.samples[1]!);
    expect(Array.from(ev.t)).toEqual([0, 11, 21]);
    // Without --from, a finished extraction is reported as ready.
    expect((await fetchDvsLip(parseDvsLipArgs(["--root", join(work, "ds")]))).words).toEqual({ train: 2, test: 2 });
  });

  it("a corrupt entry (CRC mismatch) fails naming it and leaves no file under its name", async () => {
    const work = tmp();
    const zip = join(work, "DVS-Lip.zip");
    const data = npy(9);
    await writeZip(zip, { "DVS-Lip/train/accused/0.npy": Buffer.concat([data]) });
    // Flip one byte of the stored (uncompressed, entry 0) data inside the archive.
    const bytes = readFileSync(zip);
    const at = bytes.indexOf(data.subarray(0, 16)) + 100;
    bytes[at] ^= 0xff;
    writeFileSync(zip, bytes);
    const out = join(work, "ds", "extract", "DVS-Lip/train/accused/0.npy");
    await expect(fetchDvsLip(parseDvsLipArgs(["--root", join(work, "ds"), "--from", zip, "--skip-md5"]), { log: () => {} })).rejects.toThrow(/DVS-Lip\.zip: entry DVS-Lip\/train\/accused\/0\.npy: CRC-32 [0-9a-f]{8}, expected [0-9a-f]{8} \(corrupt archive\)/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
    expect(existsSync(join(work, "ds", "extract", DVS_LIP_INCOMPLETE))).toBe(true);
  });
});
