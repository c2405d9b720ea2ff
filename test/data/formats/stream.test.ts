// Streaming plumbing shared by the parsers.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { readAedat2File, streamAedat2File, writeAedat2File } from "../../../src/lib/data/formats/aedat2.js";
import { Aedat3Decoder, readAedat3File, streamAedat3File, writeAedat3 } from "../../../src/lib/data/formats/aedat3.js";
import { readAtisFile, streamAtisFile } from "../../../src/lib/data/formats/atis.js";
import { Carry, describeBytes, readFileEvents, streamFile } from "../../../src/lib/data/formats/stream.js";
import { tmp } from "../helpers.js";

describe("formats/stream", () => {
  it("Carry keeps the undecoded tail (copied) and tracks the absolute offset", () => {
    const c = new Carry();
    const a = new Uint8Array([1, 2, 3, 4, 5]);
    const j = c.join(a);
    expect(j).toBe(a);
    c.keep(j, 3);
    a.fill(0); // the caller reuses its read buffer
    expect(c.base).toBe(3);
    expect([...c.join(new Uint8Array([6]))]).toEqual([4, 5, 6]);
  });
  it("describeBytes prints hex or 'end of file'", () => {
    expect(describeBytes(new Uint8Array([0x23, 0x0a]), 0)).toBe("bytes 23 0a");
    expect(describeBytes(new Uint8Array([1]), 1)).toBe("end of file");
  });
  it("a header spanning many chunks and records split across chunks decode identically", async () => {
    const ev = makeEvents({ t: [1, 2, 3], x: [4, 5, 6], y: [7, 8, 9], p: [1, 0, 1] });
    const f = join(tmp(), "h.aedat");
    writeFileSync(f, writeAedat3(ev, { headerLines: Array.from({ length: 20 }, (_, i) => `Comment ${i}: ${"z".repeat(50)}`), packetEvents: 1 }));
    for (const chunk of [64, 65, 97, 4096]) {
      const got = await readFileEvents(f, (b) => new Aedat3Decoder(b), chunk);
      expect([...got.t]).toEqual([1, 2, 3]);
      expect([...got.y]).toEqual([7, 8, 9]);
    }
  });
  it("rejects a silly chunk size by name", async () => {
    const gen = streamFile("/nonexistent", (b) => new Aedat3Decoder(b), 8);
    await expect(gen.next()).rejects.toThrow(/chunkBytes must be ≥ 64, got 8/);
  });

  describe("read errors name the path (issue #20)", () => {
    const readers = {
      readAedat2File, readAedat3File, readAtisFile,
      streamAedat2File: async (p: string) => { for await (const _ of streamAedat2File(p)); },
      streamAedat3File: async (p: string) => { for await (const _ of streamAedat3File(p)); },
      streamAtisFile: async (p: string) => { for await (const _ of streamAtisFile(p)); },
    };
    const caught = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as EventFileError);
    for (const [name, read] of Object.entries(readers)) {
      it(`${name}: a directory and a missing file → EventFileError with the path`, async () => {
        const dir = join(tmp(), "a_folder.aedat");
        mkdirSync(dir);
        const d = await caught(read(dir));
        expect(d).toBeInstanceOf(EventFileError);
        expect(d!.file).toBe(dir);
        expect(d!.offset).toBe(0);
        expect(d!.message).toBe(`${dir}: at byte 0: expected a regular event file, found a directory (EISDIR)`);
        const missing = join(tmp(), "missing.aedat");
        const m = await caught(read(missing));
        expect(m).toBeInstanceOf(EventFileError);
        expect(m!.message).toBe(`${missing}: at byte 0: expected a readable event file, found no such file (ENOENT)`);
      });
    }
    it("a header-only file is a valid file of 0 events (datasets decide whether that is an error)", async () => {
      const p = join(tmp(), "header-only.aedat");
      await writeAedat2File(p, makeEvents({ t: [], x: [], y: [], p: [] }));
      expect((await readAedat2File(p)).t.length).toBe(0);
    });
  });
});
