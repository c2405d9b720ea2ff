import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic, writeFileAtomicSync } from "../../src/lib/util/fs.js";

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
