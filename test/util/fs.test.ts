import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processAlive, removeStaleTempFiles, writeFileAtomic, writeFileAtomicSync } from "../../src/lib/util/fs.js";

describe("writeFileAtomic", () => {
  it("writes the full content, creates folders and leaves no temp file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-fs-"));
    const p = join(dir, "a", "b.json");
    await writeFileAtomic(p, "first");
    await writeFileAtomic(p, "second");
    writeFileAtomicSync(join(dir, "a", "c.bin"), new Uint8Array([1, 2, 3]));
    expect(readFileSync(p, "utf8")).toBe("second");
    expect([...readFileSync(join(dir, "a", "c.bin"))]).toEqual([1, 2, 3]);
    expect(readdirSync(join(dir, "a")).sort()).toEqual(["b.json", "c.bin"]);
  });
  it("fails cleanly (no temp file left) when the target is a folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-fs-"));
    await writeFileAtomic(join(dir, "x", "f"), "1");
    await expect(writeFileAtomic(join(dir, "x"), "2")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["x"]);
  });
});

describe("removeStaleTempFiles (issue #20)", () => {
  it("removes the temp files of processes that no longer exist, nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-fs-"));
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    expect(processAlive(dead)).toBe(false);
    expect(processAlive(process.pid)).toBe(true);
    const names = [
      `.a.slf.${dead}.0123abcd.tmp`, // a writer killed mid-write: removed
      `.a.slf.${process.pid}.0123abcd.tmp`, // this process, maybe mid-write: kept
      "a.slf", ".hidden", `.a.slf.${dead}.tmp`, `b.${dead}.0123abcd.tmp`, // not writeFileAtomic's temp names: kept
    ];
    for (const n of names) writeFileSync(join(dir, n), "x");
    expect(await removeStaleTempFiles(dir)).toEqual([names[0]]);
    expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
    expect(await removeStaleTempFiles(join(dir, "missing"))).toEqual([]);
  });
});
